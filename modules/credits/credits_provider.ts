import LowBalanceReached from '#credits/events/low_balance_reached'
import { ModuleProvider, type NavigationEntry } from '#app/modules/module_provider'
import type { HttpContext } from '@adonisjs/core/http'
import modulesConfig from '#config/modules'
import { grant } from '#accounts/services/roles'
import { CreditsClock } from '#credits/services/credits_clock'
import openapi from '#credits/openapi'

const NotifyLowBalance = () => import('#credits/listeners/notify_low_balance')

/*
| Credits: every company's balance as an append-only ledger (docs/adr/0007-credits-ledger.md).
| Desktops spend through /api/v1/credits; expiry is swept by the `credits/expire_credits` job.
*/
export default class CreditsProvider extends ModuleProvider {
  routes = () => import('#credits/routes')

  navigation = (
    [
      {
        section: 'company' as const,
        label: 'Credits',
        route: 'credits.credits.index',
        icon: 'coins',
        order: 20,
      },
      {
        section: 'admin' as const,
        label: 'Credits',
        route: 'credits.admin_credits.index',
        icon: 'coins',
        order: 15,
        visible: (ctx: HttpContext) => Boolean(ctx.auth.user?.isAdmin),
      },
    ] as NavigationEntry[]
  ).filter((entry) => entry.section !== 'admin' || modulesConfig.isEnabled('admin'))

  register() {
    this.app.container.singleton(CreditsClock, () => new CreditsClock())
    grant('credits:manage', ['owner'])
  }

  async boot() {
    const emitter = await this.app.container.make('emitter')
    emitter.on(LowBalanceReached, [NotifyLowBalance])
  }

  openapi() {
    return openapi
  }
}
