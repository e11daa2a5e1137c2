import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { Checkout } from '#billing/services/checkout'
import { offeredPacks, offeredPlans, plan } from '#billing/services/plans'
import { CreditsService } from '#credits/services/credits_service'

/* The company's billing page: its plan and status, credit packs, invoices, the portal. */
@inject()
export default class BillingController {
  constructor(
    private checkout: Checkout,
    private credits: CreditsService
  ) {}

  /*
  | Every prop is computed only when asked for: the page reloads `balance` (and the local parts)
  | on each realtime (re)connect, and that must not call Stripe for the invoices.
  */
  async show({ inertia, request, tenant }: HttpContext) {
    tenant.authorize('billing:manage')
    const companyId = tenant.companyId
    const overview = this.checkout.overview(companyId)
    const subscription = async () => {
      const current = await overview.subscription()
      if (!current) return null
      const definition = current.plan ? plan(current.plan) : null
      return {
        plan: current.plan,
        planName: definition?.name ?? current.price_id,
        interval: current.interval,
        status: current.status,
        currentPeriodEnd: new Date(Number(current.current_period_end)).toISOString(),
        trialEnd: current.trial_end ? new Date(Number(current.trial_end)).toISOString() : null,
        cancelAtPeriodEnd: Boolean(current.cancel_at_period_end),
      }
    }
    const balance = async () => {
      const account = await this.credits.balance(companyId)
      return {
        balance: account.balance,
        held: account.held,
        available: account.balance - account.held,
      }
    }
    return inertia.render('billing/billing/show', {
      ...overview,
      companyId,
      subscription,
      balance,
      packs: offeredPacks(),
      plans: offeredPlans().map(({ id, name }) => ({ id, name })),
      outcome: request.qs().checkout ?? null,
    })
  }
}
