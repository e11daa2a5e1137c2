import type { ApplicationService } from '@adonisjs/core/types'
import type { HttpContext } from '@adonisjs/core/http'
import type { Realtime } from '#app/realtime/realtime'

/*
| What a feature module contributes to the app. Each module exports one subclass from
| `modules/<m>/<m>_provider.ts`; the modules provider instantiates it only when the module is
| enabled, so a disabled module adds no routes, navigation, listeners or realtime handlers.
*/
export type NavigationSection = 'main' | 'company' | 'account' | 'admin'

/** The company the shell currently shows, as the accounts module shares it. */
export type CurrentCompany = { id: number; role?: string }

export type NavigationEntry = {
  section: NavigationSection
  label: string
  /** Route name; company-scoped routes receive the current company's id as `companyId`. */
  route: string
  icon?: string
  order?: number
  /** Hide the entry unless this returns true (e.g. a permission check on the current company). */
  visible?: (ctx: HttpContext, company: CurrentCompany | null) => boolean
}

export abstract class ModuleProvider {
  constructor(protected app: ApplicationService) {}

  /** The module's routes file, imported by start/routes.ts before the router commits. */
  routes?: () => Promise<unknown>

  /** Menu entries the UI shell renders (filtered per request by `visible`). */
  navigation: NavigationEntry[] = []

  /** Props this module adds to every Inertia page (e.g. accounts: the user and companies). */
  share?(ctx: HttpContext): Record<string, unknown> | Promise<Record<string, unknown>>

  /** OpenAPI path items for the module's public API routes (relative to /api/v1). */
  openapi?(): Record<string, unknown>

  /** Socket.IO handlers for connected clients (rooms, presence, …). */
  realtime?(realtime: Realtime): void

  register?(): void
  boot?(): Promise<void>
  start?(): Promise<void>
  ready?(): Promise<void>
  shutdown?(): Promise<void>
}

export type ModuleProviderClass = new (app: ApplicationService) => ModuleProvider
