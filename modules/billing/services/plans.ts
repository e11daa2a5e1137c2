import billingConfig, { type PackDefinition, type PlanDefinition } from '#config/billing'

/* Plans and packs from config/billing.ts, found by id or by a Stripe price id. */
export type Interval = 'monthly' | 'yearly'
export const INTERVALS: Interval[] = ['monthly', 'yearly']

export function plan(id: string): PlanDefinition | null {
  return (billingConfig.plans as Record<string, PlanDefinition>)[id] ?? null
}

export function pack(id: string): PackDefinition | null {
  return (billingConfig.packs as Record<string, PackDefinition>)[id] ?? null
}

export function planForPrice(
  priceId: string
): { id: string; plan: PlanDefinition; interval: Interval } | null {
  for (const [id, definition] of Object.entries(
    billingConfig.plans as Record<string, PlanDefinition>
  ))
    for (const interval of INTERVALS)
      if (definition.prices[interval] === priceId) return { id, plan: definition, interval }
  return null
}

/** Credits one paid invoice of this plan grants: a month's, or twelve for a yearly invoice. */
export function creditsPerInvoice(definition: PlanDefinition, interval: Interval) {
  return definition.monthlyCredits * (interval === 'yearly' ? 12 : 1)
}

export function offeredPlans() {
  return Object.entries(billingConfig.plans as Record<string, PlanDefinition>)
    .filter(([, definition]) => !definition.archived)
    .map(([id, definition]) => ({ id, ...definition }))
}

export function offeredPacks() {
  return Object.entries(billingConfig.packs as Record<string, PackDefinition>).map(
    ([id, definition]) => ({
      id,
      ...definition,
    })
  )
}
