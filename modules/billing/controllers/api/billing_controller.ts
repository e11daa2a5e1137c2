import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { Entitlements } from '#billing/services/entitlements'

/* /api/v1/billing: what the token's company may use, for desktops to enable features. */
@inject()
export default class BillingController {
  constructor(private entitlements: Entitlements) {}

  async show({ tenant }: HttpContext) {
    return this.entitlements.of(tenant.companyId)
  }

  /* Behind `middleware.plan()`: 402 E_PLAN_REQUIRED without an active plan or without the feature. */
  async entitlement({ params, tenant }: HttpContext) {
    const entitled = await this.entitlements.require(tenant.companyId, params.feature)
    return { feature: params.feature, included: true, plan: entitled.plan }
  }
}
