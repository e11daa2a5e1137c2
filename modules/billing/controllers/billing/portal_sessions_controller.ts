import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { Checkout } from '#billing/services/checkout'

/* POST: open Stripe's customer portal (change plan, card, cancel). */
@inject()
export default class PortalSessionsController {
  constructor(private checkout: Checkout) {}

  async store(ctx: HttpContext) {
    ctx.tenant.authorize('billing:manage')
    return ctx.inertia.location(await this.checkout.portal(ctx.tenant.company))
  }
}
