/*
| Routes: a table of contents. Every enabled module registers its own routes from
| modules/<m>/routes.ts (see config/modules.ts); a disabled module registers none.
*/
import { moduleRegistry } from '#app/modules/registry'

await moduleRegistry.loadRoutes()
