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

  async show({ inertia, request, tenant }: HttpContext) {
    tenant.authorize('billing:manage')
    const overview = await this.checkout.overview(tenant.companyId)
    const account = await this.credits.balance(tenant.companyId)
    const current = overview.subscription?.plan ? plan(overview.subscription.plan) : null
    return inertia.render('billing/billing/show', {
      ...overview,
      companyId: tenant.companyId,
      subscription: overview.subscription && {
        plan: overview.subscription.plan,
        planName: current?.name ?? overview.subscription.price_id,
        interval: overview.subscription.interval,
        status: overview.subscription.status,
        currentPeriodEnd: new Date(Number(overview.subscription.current_period_end)).toISOString(),
        trialEnd: overview.subscription.trial_end
          ? new Date(Number(overview.subscription.trial_end)).toISOString()
          : null,
        cancelAtPeriodEnd: Boolean(overview.subscription.cancel_at_period_end),
      },
      balance: {
        balance: account.balance,
        held: account.held,
        available: account.balance - account.held,
      },
      packs: offeredPacks(),
      plans: offeredPlans().map(({ id, name }) => ({ id, name })),
      outcome: request.qs().checkout ?? null,
    })
  }
}
