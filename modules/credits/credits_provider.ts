import LowBalanceReached from '#credits/events/low_balance_reached'
import { ModuleProvider, type NavigationEntry } from '#app/modules/module_provider'
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

  navigation: NavigationEntry[] = [
    {
      section: 'company',
      label: 'Credits',
      route: 'credits.credits.index',
      icon: 'coins',
      order: 20,
    },
  ]

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
