import env from '#start/env'

/*
| Plans and credit packs. Prices live in Stripe; here each plan names its monthly and yearly
| price ids (from the environment in production, the local stand-in's ids otherwise), what it
| includes and whether new customers can still pick it. `node ace billing:plans` checks that
| every price exists in Stripe with the amount and interval written here.
*/
export type PlanDefinition = {
  name: string
  description: string
  prices: { monthly: string; yearly: string }
  /** Cents, shown on the pricing page and checked against Stripe by `billing:plans`. */
  amounts: { monthly: number; yearly: number }
  /** Credits granted with each paid invoice of a month (a yearly invoice grants twelve months). */
  monthlyCredits: number
  features: string[]
  /** Named capabilities routes can require (`middleware.plan({ feature })`). */
  entitlements: string[]
  limits: Record<string, number>
  trialDays: number
  archived?: boolean
}

export type PackDefinition = { name: string; price: string; amount: number; credits: number }

type PriceVariable = `STRIPE_PRICE_${string}` & Parameters<typeof env.get>[0]
const price = (name: PriceVariable, fallback: string) =>
  (env.get(name) as string | undefined) ?? fallback

export const billingConfig = {
  currency: 'usd',
  /** After a failed renewal (`past_due`) the plan keeps working until the period ends. */
  plans: {
    starter: {
      name: 'Starter',
      description: 'For small teams getting started',
      prices: {
        monthly: price('STRIPE_PRICE_STARTER_MONTHLY', 'price_starter_monthly'),
        yearly: price('STRIPE_PRICE_STARTER_YEARLY', 'price_starter_yearly'),
      },
      amounts: { monthly: 1900, yearly: 19000 },
      monthlyCredits: 1000,
      features: ['1,000 credits every month', 'Rooms with video calls', 'Up to 5 members'],
      entitlements: ['rooms'],
      limits: { members: 5, storageBytes: 10 * 1024 ** 3 },
      trialDays: 14,
    },
    pro: {
      name: 'Pro',
      description: 'For teams that ship every week',
      prices: {
        monthly: price('STRIPE_PRICE_PRO_MONTHLY', 'price_pro_monthly'),
        yearly: price('STRIPE_PRICE_PRO_YEARLY', 'price_pro_yearly'),
      },
      amounts: { monthly: 4900, yearly: 49000 },
      monthlyCredits: 5000,
      features: ['5,000 credits every month', 'Telemetry exports', 'Unlimited members'],
      entitlements: ['rooms', 'telemetry.export'],
      limits: { members: 1000, storageBytes: 100 * 1024 ** 3 },
      trialDays: 14,
    },
    legacy: {
      name: 'Legacy',
      description: 'No longer offered; existing subscriptions keep it',
      prices: {
        monthly: price('STRIPE_PRICE_LEGACY_MONTHLY', 'price_legacy_monthly'),
        yearly: price('STRIPE_PRICE_LEGACY_YEARLY', 'price_legacy_yearly'),
      },
      amounts: { monthly: 900, yearly: 9000 },
      monthlyCredits: 300,
      features: ['300 credits every month'],
      entitlements: [],
      limits: { members: 3, storageBytes: 5 * 1024 ** 3 },
      trialDays: 0,
      archived: true,
    },
  } satisfies Record<string, PlanDefinition>,
  packs: {
    small: {
      name: '1,000 credits',
      price: price('STRIPE_PRICE_PACK_SMALL', 'price_pack_small'),
      amount: 1000,
      credits: 1000,
    },
    large: {
      name: '10,000 credits',
      price: price('STRIPE_PRICE_PACK_LARGE', 'price_pack_large'),
      amount: 8000,
      credits: 10_000,
    },
  } satisfies Record<string, PackDefinition>,
}

export type PlanId = keyof typeof billingConfig.plans
export type PackId = keyof typeof billingConfig.packs
export default billingConfig
