import { inject } from '@adonisjs/core'
import { ApiError } from '#app/exceptions/api_error'
import { BillingSettings } from '#billing/services/billing_settings'
import { Subscriptions, type SubscriptionRow } from '#billing/services/subscriptions'
import { plan } from '#billing/services/plans'

/*
| What a company's subscription allows. A plan counts while trialing or active, and — the grace
| period — for BILLING_PAST_DUE_GRACE_DAYS after a renewal failed (past_due); a subscription set
| to cancel stays active until its period ends, when Stripe ends it.
*/
@inject()
export class Entitlements {
  constructor(
    private subscriptions: Subscriptions,
    private settings: BillingSettings
  ) {}

  async of(companyId: number) {
    const row = await this.subscriptions.current(companyId)
    const active = row ? this.isActive(row) : false
    const definition = row?.plan ? plan(row.plan) : null
    return {
      plan: active ? (row?.plan ?? null) : null,
      status: row?.status ?? 'none',
      active,
      entitlements: active ? (definition?.entitlements ?? []) : [],
      limits: active ? (definition?.limits ?? {}) : {},
      currentPeriodEnd: row ? new Date(Number(row.current_period_end)).toISOString() : null,
      cancelAtPeriodEnd: Boolean(row?.cancel_at_period_end),
      trialEnd: row?.trial_end ? new Date(Number(row.trial_end)).toISOString() : null,
    }
  }

  isActive(row: SubscriptionRow) {
    if (['trialing', 'active'].includes(row.status)) return true
    /* Stripe has already moved the period on when a renewal fails: grace counts from its start. */
    const graceEnds = Number(row.current_period_start) + this.settings.pastDueGraceDays * 86_400_000
    return row.status === 'past_due' && this.settings.now() < graceEnds
  }

  /** 402 E_PLAN_REQUIRED unless the company's plan is active (and includes `feature`). */
  async require(companyId: number, feature?: string) {
    const entitled = await this.of(companyId)
    if (!entitled.active)
      throw new ApiError('E_PLAN_REQUIRED', 'This needs an active subscription', { status: 402 })
    if (feature && !entitled.entitlements.includes(feature))
      throw new ApiError(
        'E_PLAN_REQUIRED',
        `Your plan does not include ${feature}: upgrade to use it`,
        {
          status: 402,
        }
      )
    return entitled
  }
}
