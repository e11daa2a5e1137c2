import { inject } from '@adonisjs/core'
import billingConfig, { type PackDefinition, type PlanDefinition } from '#config/billing'
import { StripeGateway } from '#billing/services/stripe_gateway'

type Expected = {
  what: string
  price: string
  amount: number
  interval: 'month' | 'year' | null
  currency: string
  archived?: boolean
}

/* `billing:plans`: each configured price must exist, be active, and match amount and interval. */
@inject()
export class PriceCheck {
  constructor(private gateway: StripeGateway) {}

  async run() {
    const rows = []
    for (const expected of this.#expected()) {
      const problem = await this.#problem(expected)
      rows.push({
        what: expected.what,
        price: expected.price,
        amount: `${(expected.amount / 100).toFixed(2)} ${expected.currency}`,
        interval: expected.interval ?? 'once',
        problem,
      })
    }
    return rows
  }

  async #problem(expected: Expected) {
    const price = await this.gateway.retrievePrice(expected.price).catch((error) => error)
    /* Unreachable is not missing: say which, so nobody recreates prices that exist. */
    if (price instanceof Error)
      return (price as { type?: string }).type === 'StripeConnectionError'
        ? `Stripe unreachable (${price.message})`
        : `missing in Stripe (${price.message})`
    /* A plan no longer offered may have its prices archived in Stripe: its subscribers keep them. */
    if (!price.active) return expected.archived ? null : 'archived in Stripe'
    if (price.unit_amount !== expected.amount)
      return `Stripe charges ${price.unit_amount}, config says ${expected.amount}`
    if (price.currency !== expected.currency) return `Stripe currency ${price.currency}`
    const interval = price.recurring?.interval ?? null
    if (interval !== expected.interval)
      return `Stripe bills ${interval ?? 'once'}, config says ${expected.interval ?? 'once'}`
    return null
  }

  #expected(): Expected[] {
    const currency = billingConfig.currency
    const plans = Object.entries(billingConfig.plans as Record<string, PlanDefinition>).flatMap(
      ([id, plan]) => [
        {
          what: `${id} monthly`,
          price: plan.prices.monthly,
          amount: plan.amounts.monthly,
          interval: 'month' as const,
          currency,
          archived: plan.archived,
        },
        {
          what: `${id} yearly`,
          price: plan.prices.yearly,
          amount: plan.amounts.yearly,
          interval: 'year' as const,
          currency,
          archived: plan.archived,
        },
      ]
    )
    const packs = Object.entries(billingConfig.packs as Record<string, PackDefinition>).map(
      ([id, pack]) => ({
        what: `pack ${id}`,
        price: pack.price,
        amount: pack.amount,
        interval: null,
        currency,
      })
    )
    return [...plans, ...packs]
  }
}
