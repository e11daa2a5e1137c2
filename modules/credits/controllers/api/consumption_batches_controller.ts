import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { ApiError } from '#app/exceptions/api_error'
import { CreditsService } from '#credits/services/credits_service'
import { apiWrite } from '#credits/services/actors'
import { consumeBatchValidator } from '#credits/validators/credit'

/*
| POST /api/v1/credits/consume/batch (credits:write): up to 100 consumes in one request, each
| answered on its own in `results` (same order): 201 with its transaction, or 402
| E_INSUFFICIENT_CREDITS (that item changed nothing). The request itself is a 200 whatever its
| items' outcomes; anything else an item meets (the database down) fails the request.
*/
@inject()
export default class ConsumptionBatchesController {
  constructor(private credits: CreditsService) {}

  async store(ctx: HttpContext) {
    const { consumes } = await ctx.request.validateUsing(consumeBatchValidator)
    const companyId = ctx.tenant.companyId
    const settled = await this.credits.consumeBatch(companyId, consumes, apiWrite(ctx))

    let last: { balance: number; held: number } | null = null
    const results = settled.map((outcome) => {
      if (outcome.status === 'fulfilled') {
        const { result, after } = outcome.value
        last = after
        return {
          status: 201,
          transactionId: result.entryId,
          balance: after.balance,
          available: after.balance - after.held,
        }
      }
      const error = outcome.reason
      if (error instanceof ApiError && error.code === 'E_INSUFFICIENT_CREDITS') {
        return { status: 402, error: { code: error.code, message: error.message } }
      }
      throw error
    })
    const account: { balance: number; held: number } =
      last ?? (await this.credits.balance(companyId))
    const consumed = results.filter((result) => result.status === 201).length
    return {
      consumed,
      refused: results.length - consumed,
      balance: account.balance,
      available: account.balance - account.held,
      results,
    }
  }
}
