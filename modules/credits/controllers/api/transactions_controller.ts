import type { HttpContext } from '@adonisjs/core/http'
import { listEntries } from '#credits/services/ledger_queries'
import { listTransactionsValidator } from '#credits/validators/credit'

/* GET /api/v1/credits/transactions (credits:read): the ledger, newest first, cursor-paginated. */
export default class TransactionsController {
  async index({ request, tenant }: HttpContext) {
    const filters = await request.validateUsing(listTransactionsValidator, { data: request.qs() })
    return listEntries(tenant.companyId, {
      type: filters.type,
      limit: filters.limit ?? 50,
      cursor: filters.cursor,
    })
  }
}
