import billingConfig, { type PackDefinition, type PlanDefinition } from '#config/billing'
import type { PriceSeed } from '#billing/standin/standin_store'

/* The stand-in sells what config/billing.ts names: every plan price and every pack. */
export function configuredPrices(): PriceSeed[] {
  const seeds: PriceSeed[] = []
  for (const plan of Object.values(billingConfig.plans as Record<string, PlanDefinition>)) {
    seeds.push({
      id: plan.prices.monthly,
      unitAmount: plan.amounts.monthly,
      currency: billingConfig.currency,
      interval: 'month',
      nickname: `${plan.name} monthly`,
      active: !plan.archived,
    })
    seeds.push({
      id: plan.prices.yearly,
      unitAmount: plan.amounts.yearly,
      currency: billingConfig.currency,
      interval: 'year',
      nickname: `${plan.name} yearly`,
      active: !plan.archived,
    })
  }
  for (const pack of Object.values(billingConfig.packs as Record<string, PackDefinition>))
    seeds.push({
      id: pack.price,
      unitAmount: pack.amount,
      currency: billingConfig.currency,
      interval: null,
      nickname: pack.name,
    })
  return seeds
}
