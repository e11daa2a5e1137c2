import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { ApiError } from '#app/exceptions/api_error'
import { CreditsService } from '#credits/services/credits_service'
import { updateLowBalanceThresholdValidator } from '#credits/validators/credit'

/* PUT …/credits/low-balance-threshold — owners choose when they are warned (empty: never). */
@inject()
export default class LowBalanceThresholdsController {
  constructor(private credits: CreditsService) {}

  async update({ request, response, session, tenant }: HttpContext) {
    if (!tenant.can('credits:manage')) throw ApiError.forbidden('Only owners set the threshold')
    const { threshold } = await request.validateUsing(updateLowBalanceThresholdValidator)
    await this.credits.setLowBalanceThreshold(tenant.companyId, threshold ?? null)
    session.flash(
      'success',
      threshold
        ? `Owners will be told when fewer than ${threshold} credits are available.`
        : 'Low-balance warnings are off.'
    )
    return response.redirect().back()
  }
}
