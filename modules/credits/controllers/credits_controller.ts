import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { CreditsService } from '#credits/services/credits_service'
import { presentBalance } from '#credits/services/credits_notifier'
import { activeHolds, listEntries, openGrants } from '#credits/services/ledger_queries'
import { usageByDay } from '#credits/services/usage'
import { listTransactionsValidator } from '#credits/validators/credit'

/* The company's credits: live balance, usage by day, grants, holds and the ledger. */
@inject()
export default class CreditsController {
  constructor(private credits: CreditsService) {}

  /* Props are computed when asked for: on each realtime (re)connect the page reloads a few. */
  async index({ inertia, request, tenant }: HttpContext) {
    const filters = await request.validateUsing(listTransactionsValidator, { data: request.qs() })
    const companyId = tenant.companyId
    const now = this.credits.now()
    let read: ReturnType<CreditsService['balance']> | undefined
    const account = () => (read ??= this.credits.balance(companyId))
    return inertia.render('credits/credits/index', {
      balance: () => account().then(presentBalance),
      threshold: () => account().then((state) => state.lowBalanceThreshold),
      canManage: tenant.can('credits:manage'),
      usage: () => usageByDay(companyId, now, 30),
      grants: () => openGrants(companyId, now),
      holds: () => activeHolds(companyId, now),
      entries: () =>
        listEntries(companyId, {
          type: filters.type,
          limit: filters.limit ?? 25,
          cursor: filters.cursor,
        }),
      filters: { type: filters.type ?? '', cursor: filters.cursor ?? '' },
    })
  }
}
