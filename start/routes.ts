/*
| Routes: a table of contents. Every enabled module registers its own routes from
| modules/<m>/routes.ts (see config/modules.ts); a disabled module registers none. The kernel
| adds only the API description, assembled from the enabled modules.
*/
import router from '@adonisjs/core/services/router'
import env from '#start/env'
import { moduleRegistry } from '#app/modules/registry'
import { openApiDocument } from '#app/openapi/document'

await moduleRegistry.loadRoutes()

router
  .get('/api/v1/openapi.json', () => openApiDocument(env.get('APP_URL')))
  .as('kernel.openapi.show')
