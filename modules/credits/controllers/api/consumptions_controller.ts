import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { CreditsService } from '#credits/services/credits_service'
import { apiWrite } from '#credits/services/actors'
import { consumeCreditsValidator } from '#credits/validators/credit'

/* POST /api/v1/credits/consume (credits:write): 201, or 402 E_INSUFFICIENT_CREDITS. */
@inject()
export default class ConsumptionsController {
  constructor(private credits: CreditsService) {}

  async store(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(consumeCreditsValidator)
    const { result, after } = await this.credits.consume(ctx.tenant.companyId, {
      ...input,
      ...apiWrite(ctx),
    })
    ctx.response.status(201)
    return {
      transactionId: result.entryId,
      balance: after.balance,
      available: after.balance - after.held,
    }
  }
}
