import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { dbIdOr404 } from '#app/helpers/ids'
import { CreditsService } from '#credits/services/credits_service'
import { apiWrite } from '#credits/services/actors'
import { releaseHoldValidator } from '#credits/validators/credit'

/* POST /api/v1/credits/holds/:id/release (credits:write): the held credits become available. */
@inject()
export default class ReleasesController {
  constructor(private credits: CreditsService) {}

  async store(ctx: HttpContext) {
    const holdId = dbIdOr404(ctx.params.id)
    const input = await ctx.request.validateUsing(releaseHoldValidator)
    const { result, after } = await this.credits.release(ctx.tenant.companyId, holdId, {
      ...input,
      ...apiWrite(ctx),
      reason: 'Hold released',
    })
    return {
      holdId: result.holdId,
      status: 'released',
      released: result.released,
      transactionId: result.releaseEntryId,
      balance: after.balance,
      available: after.balance - after.held,
    }
  }
}
