import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { Checkout } from '#billing/services/checkout'

/* POST: buy a credit pack through Stripe Checkout. */
@inject()
export default class PackCheckoutsController {
  constructor(private checkout: Checkout) {}

  async store(ctx: HttpContext) {
    ctx.tenant.authorize('billing:manage')
    const url = await this.checkout.buyPack(ctx.tenant.company, ctx.auth.user!, ctx.params.pack)
    return ctx.inertia.location(url)
  }
}
