import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { CreditsService } from '#credits/services/credits_service'
import { apiWrite } from '#credits/services/actors'
import { createHoldValidator } from '#credits/validators/credit'

/* POST /api/v1/credits/holds (credits:write): reserve credits for ttlSeconds. */
@inject()
export default class HoldsController {
  constructor(private credits: CreditsService) {}

  async store(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(createHoldValidator)
    const { result, after } = await this.credits.hold(ctx.tenant.companyId, {
      ...input,
      ...apiWrite(ctx),
    })
    ctx.response.status(201)
    return {
      holdId: result.holdId,
      expiresAt: new Date(result.expiresAt).toISOString(),
      available: after.balance - after.held,
    }
  }
}
