import { ModuleProvider, type NavigationEntry } from '#app/modules/module_provider'
import type { HttpContext } from '@adonisjs/core/http'
import modulesConfig from '#config/modules'
import { can, grant, type Role } from '#accounts/services/roles'
import { Realtime } from '#app/realtime/realtime'
import { LiveFeed } from '#telemetry/services/live_feed'
import { TelemetrySettings } from '#telemetry/services/telemetry_settings'
import openapi from '#telemetry/openapi'

/*
| Telemetry: desktops send batches of events, logs and errors; admins watch them live, triage
| error issues and ship releases (docs/adr/0008-telemetry.md).
*/
export default class TelemetryProvider extends ModuleProvider {
  routes = () => import('#telemetry/routes')

  navigation = (
    [
      {
        section: 'company' as const,
        label: 'Installations',
        route: 'telemetry.installations.index',
        icon: 'monitor',
        order: 30,
        visible: (_ctx: HttpContext, company) => can(company?.role as Role, 'telemetry:view'),
      },
      {
        section: 'admin' as const,
        label: 'Telemetry',
        route: 'telemetry.dashboard.index',
        icon: 'signal',
        order: 20,
        visible: (ctx: HttpContext) => Boolean(ctx.auth.user?.isAdmin),
      },
    ] as NavigationEntry[]
  ).filter((entry) => entry.section !== 'admin' || modulesConfig.isEnabled('admin'))

  register() {
    this.app.container.singleton(TelemetrySettings, () => new TelemetrySettings())
    this.app.container.singleton(
      LiveFeed,
      async (resolver) =>
        new LiveFeed(await resolver.make(Realtime), await resolver.make(TelemetrySettings))
    )
    grant('telemetry:view', ['owner', 'admin'])
  }

  openapi() {
    return openapi
  }
}
