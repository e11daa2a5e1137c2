import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { Checkout } from '#billing/services/checkout'
import { subscribeValidator } from '#billing/validators/billing'

/* POST: subscribe the company to a plan through Stripe Checkout (the browser goes there). */
@inject()
export default class CheckoutsController {
  constructor(private checkout: Checkout) {}

  async store(ctx: HttpContext) {
    ctx.tenant.authorize('billing:manage')
    const { plan, interval } = await ctx.request.validateUsing(subscribeValidator)
    const url = await this.checkout.subscribe(ctx.tenant.company, ctx.auth.user!, plan, interval)
    return ctx.inertia.location(url)
  }
}
