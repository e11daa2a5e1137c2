import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { Subscriptions, LIVE_STATUSES } from '#billing/services/subscriptions'
import { offeredPlans } from '#billing/services/plans'
import billingConfig from '#config/billing'

/* The pricing page: the plans on offer, monthly or yearly, and the company's current one. */
@inject()
export default class PlansController {
  constructor(private subscriptions: Subscriptions) {}

  async index({ inertia, tenant }: HttpContext) {
    const current = await this.subscriptions.current(tenant.companyId)
    return inertia.render('billing/plans/index', {
      companyId: tenant.companyId,
      plans: offeredPlans().map((plan) => ({
        id: plan.id,
        name: plan.name,
        description: plan.description,
        amounts: plan.amounts,
        monthlyCredits: plan.monthlyCredits,
        features: plan.features,
        trialDays: current ? 0 : plan.trialDays,
      })),
      currency: billingConfig.currency,
      current:
        current && LIVE_STATUSES.includes(current.status)
          ? { plan: current.plan, interval: current.interval }
          : null,
      canManage: tenant.can('billing:manage'),
    })
  }
}
