import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import Company from '#accounts/models/company'
import { dbIdOr404 } from '#app/helpers/ids'
import { ApiError } from '#app/exceptions/api_error'
import { CreditsService } from '#credits/services/credits_service'
import { auditCredits } from '#credits/services/admin_credits'
import { adminAdjustmentValidator } from '#credits/validators/credit'

/*
| POST /admin/companies/:id/credits/adjustments — corrects a balance with a new `adjust`
| entry (nothing is ever edited): positive adds a free grant, negative spends available credits.
*/
@inject()
export default class AdminAdjustmentsController {
  constructor(private credits: CreditsService) {}

  async store(ctx: HttpContext) {
    const company = await Company.findOrFail(dbIdOr404(ctx.params.id))
    const { amount, reason } = await ctx.request.validateUsing(adminAdjustmentValidator)
    if (amount === 0)
      throw ApiError.invalid('E_INVALID_AMOUNT', 'An adjustment cannot be 0', 'amount')
    const common = { actor: { type: 'admin' as const, id: ctx.auth.user!.id }, reason }
    const { result, after } =
      amount > 0
        ? await this.credits.grant(company.id, { ...common, amount, type: 'adjust', kind: 'free' })
        : await this.credits.consume(company.id, { ...common, amount: -amount, type: 'adjust' })
    await auditCredits(ctx, company, 'credits.adjusted', {
      amount,
      reason,
      transactionId: result.entryId,
      balance: after.balance,
    })
    ctx.session.flash('success', `Adjusted ${company.name} by ${amount} credits.`)
    return ctx.response.redirect().back()
  }
}
