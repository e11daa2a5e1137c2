import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { dbIdOr404 } from '#app/helpers/ids'
import { CreditsService } from '#credits/services/credits_service'
import { apiWrite } from '#credits/services/actors'
import { captureHoldValidator } from '#credits/validators/credit'

/* POST /api/v1/credits/holds/:id/capture (credits:write): up to the held amount, rest released. */
@inject()
export default class CapturesController {
  constructor(private credits: CreditsService) {}

  async store(ctx: HttpContext) {
    const holdId = dbIdOr404(ctx.params.id)
    const input = await ctx.request.validateUsing(captureHoldValidator)
    const { result, after } = await this.credits.capture(ctx.tenant.companyId, holdId, {
      ...input,
      ...apiWrite(ctx),
      reason: 'Hold captured',
    })
    return {
      holdId: result.holdId,
      status: 'captured',
      captured: result.captured,
      released: result.released,
      transactionId: result.captureEntryId ?? result.releaseEntryId,
      balance: after.balance,
      available: after.balance - after.held,
    }
  }
}
