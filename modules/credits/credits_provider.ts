import { ModuleProvider } from '#app/modules/module_provider'
import { CreditsClock } from '#credits/services/credits_clock'
import openapi from '#credits/openapi'

/*
| Credits: every company's balance as an append-only ledger (docs/adr/0007-credits-ledger.md).
| Desktops spend through /api/v1/credits; expiry is swept by the `credits/expire_credits` job.
*/
export default class CreditsProvider extends ModuleProvider {
  routes = () => import('#credits/routes')

  register() {
    this.app.container.singleton(CreditsClock, () => new CreditsClock())
  }

  openapi() {
    return openapi
  }
}
