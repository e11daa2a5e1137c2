import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import logger from '@adonisjs/core/services/logger'
import type Stripe from 'stripe'
import { StripeGateway } from '#billing/services/stripe_gateway'
import { BillingSettings } from '#billing/services/billing_settings'
import { Customers } from '#billing/services/customers'
import { planForPrice } from '#billing/services/plans'

/* Subscriptions that still bill or still give access. */
export const LIVE_STATUSES = ['trialing', 'active', 'past_due', 'unpaid', 'incomplete']

export type SyncOutcome = 'synced' | 'duplicate' | 'ignored'

export type SubscriptionRow = {
  company_id: number
  stripe_subscription_id: string
  plan: string | null
  interval: string | null
  price_id: string
  status: string
  trial_end: number | string | null
  current_period_start: number | string
  current_period_end: number | string
  cancel_at_period_end: boolean | number
  canceled_at: number | string | null
}

/*
| Keeps billing_subscriptions equal to Stripe. Every subscription event re-reads the
| subscription from Stripe instead of trusting the event's copy, so an old event arriving late
| can never roll the state back. Changes for one company are serialised by its customer row,
| and a second live subscription for a company that already has one is cancelled in Stripe:
| racing checkouts never leave a company paying twice.
*/
@inject()
export class Subscriptions {
  constructor(
    private gateway: StripeGateway,
    private settings: BillingSettings,
    private customers: Customers
  ) {}

  async current(companyId: number): Promise<SubscriptionRow | null> {
    return (await db.from('billing_subscriptions').where('company_id', companyId).first()) ?? null
  }

  async sync(
    subscriptionId: string,
    companyHint?: number | null,
    retried = false
  ): Promise<SyncOutcome> {
    const subscription = await this.gateway.retrieveSubscription(subscriptionId)
    const customerId =
      typeof subscription.customer === 'string' ? subscription.customer : subscription.customer.id
    const companyId =
      (await this.customers.companyOf(customerId)) ??
      companyHint ??
      Number(subscription.metadata?.company_id)
    if (!Number.isSafeInteger(companyId) || companyId <= 0) return 'ignored'
    await this.customers.link(companyId, customerId)
    const conflict: string | null = await db.transaction(async (trx) => {
      await trx.from('billing_customers').where('company_id', companyId).increment('version', 1)
      const existing = await trx
        .from('billing_subscriptions')
        .where('company_id', companyId)
        .first()
      const other = existing && existing.stripe_subscription_id !== subscription.id
      const existingLive = other && LIVE_STATUSES.includes(existing.status)
      if (existingLive && LIVE_STATUSES.includes(subscription.status))
        return existing.stripe_subscription_id as string
      /* An ended subscription (say, the duplicate we cancelled) never replaces a live one. */
      if (existingLive) return 'keep'
      const row = this.#row(companyId, customerId, subscription)
      if (existing)
        await trx.from('billing_subscriptions').where('company_id', companyId).update(row)
      else await trx.table('billing_subscriptions').insert({ ...row, created_at: row.updated_at })
      return null
    })
    if (!conflict) return 'synced'
    if (conflict === 'keep') return 'ignored'
    /* Our copy of the first one may be stale (a missed cancellation): ask Stripe before cancelling. */
    const first = await this.gateway.retrieveSubscription(conflict)
    if (!retried && !LIVE_STATUSES.includes(first.status)) {
      await this.sync(first.id, companyId, true)
      return this.sync(subscription.id, companyId, true)
    }
    logger.warn(
      { companyId, kept: conflict, cancelled: subscription.id },
      'second live subscription cancelled'
    )
    await this.gateway.cancelSubscription(subscription.id)
    return 'duplicate'
  }

  #row(companyId: number, customerId: string, subscription: Stripe.Subscription) {
    const item = subscription.items.data[0]
    const plan = planForPrice(item.price.id)
    const now = this.settings.now()
    const ms = (seconds: number | null | undefined) => (seconds ? seconds * 1000 : null)
    return {
      company_id: companyId,
      stripe_subscription_id: subscription.id,
      stripe_customer_id: customerId,
      plan: plan?.id ?? null,
      interval: plan?.interval ?? null,
      price_id: item.price.id,
      status: subscription.status,
      trial_end: ms(subscription.trial_end),
      current_period_start: ms(item.current_period_start)!,
      current_period_end: ms(item.current_period_end)!,
      cancel_at_period_end: subscription.cancel_at_period_end,
      canceled_at: ms(subscription.canceled_at),
      synced_at: now,
      updated_at: now,
    }
  }
}
