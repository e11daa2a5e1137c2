import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import Company from '#accounts/models/company'
import { dbIdOr404 } from '#app/helpers/ids'
import { CreditsService } from '#credits/services/credits_service'
import { auditCredits } from '#credits/services/admin_credits'
import { adminGrantValidator } from '#credits/validators/credit'

/* POST /admin/companies/:id/credits/grants — credits given by an admin, with a reason. */
@inject()
export default class AdminGrantsController {
  constructor(private credits: CreditsService) {}

  async store(ctx: HttpContext) {
    const company = await Company.findOrFail(dbIdOr404(ctx.params.id))
    const input = await ctx.request.validateUsing(adminGrantValidator)
    const expiresAt = input.expiresOn
      ? Date.parse(`${input.expiresOn.toISOString().slice(0, 10)}T23:59:59.999Z`)
      : null
    const { result, after } = await this.credits.grant(company.id, {
      amount: input.amount,
      type: 'grant',
      kind: input.kind,
      expiresAt,
      actor: { type: 'admin', id: ctx.auth.user!.id },
      reason: input.reason,
    })
    await auditCredits(ctx, company, 'credits.granted', {
      amount: input.amount,
      kind: input.kind,
      expiresAt: expiresAt === null ? null : new Date(expiresAt).toISOString(),
      reason: input.reason,
      transactionId: result.entryId,
      balance: after.balance,
    })
    ctx.session.flash('success', `Granted ${input.amount} credits to ${company.name}.`)
    return ctx.response.redirect().back()
  }
}
