import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { CreditsService } from '#credits/services/credits_service'
import { presentBalance } from '#credits/services/credits_notifier'
import { openGrants } from '#credits/services/ledger_queries'

/* GET /api/v1/credits/balance (credits:read) */
@inject()
export default class BalancesController {
  constructor(private credits: CreditsService) {}

  async show({ tenant }: HttpContext) {
    const account = await this.credits.balance(tenant.companyId)
    const grants = await openGrants(tenant.companyId, this.credits.now())
    return {
      ...presentBalance(account),
      grants: grants.map(({ id, remaining, expiresAt, kind }) => ({
        id,
        remaining,
        expiresAt,
        kind,
      })),
    }
  }
}
