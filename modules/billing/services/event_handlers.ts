import { inject } from '@adonisjs/core'
import type Stripe from 'stripe'
import { Subscriptions } from '#billing/services/subscriptions'
import { BillingCredits } from '#billing/services/billing_credits'
import { Customers } from '#billing/services/customers'

/* The Stripe events Tandem acts on; `billing:webhook` subscribes the endpoint to exactly these. */
export const HANDLED_EVENTS = [
  'checkout.session.completed',
  'checkout.session.async_payment_succeeded',
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'customer.subscription.paused',
  'customer.subscription.resumed',
  'invoice.paid',
  'invoice.payment_failed',
  'charge.refunded',
  'charge.dispute.closed',
] as const

export type Outcome = 'applied' | 'ignored'

/*
| What each event does. Handlers are idempotent on their own (subscriptions are re-read and
| upserted, grants carry the Stripe id as idempotency key), so an event applied twice — or in
| any order — leaves the same state.
*/
@inject()
export class EventHandlers {
  constructor(
    private subscriptions: Subscriptions,
    private credits: BillingCredits,
    private customers: Customers
  ) {}

  async apply(event: Stripe.Event): Promise<Outcome> {
    const object: any = event.data.object
    switch (event.type) {
      case 'checkout.session.completed':
      case 'checkout.session.async_payment_succeeded':
        return this.#checkout(object as Stripe.Checkout.Session)
      case 'customer.subscription.created':
      case 'customer.subscription.updated':
      case 'customer.subscription.deleted':
      case 'customer.subscription.paused':
      case 'customer.subscription.resumed':
        return this.#outcome(await this.subscriptions.sync(object.id))
      case 'invoice.paid':
        return this.#invoicePaid(object as Stripe.Invoice)
      case 'invoice.payment_failed': {
        const subscription = object.parent?.subscription_details?.subscription
        return subscription
          ? this.#outcome(await this.subscriptions.sync(String(subscription)))
          : 'ignored'
      }
      case 'charge.refunded':
        return this.#outcome(await this.credits.refunded(object as Stripe.Charge))
      case 'charge.dispute.closed':
        return this.#outcome(await this.credits.disputeLost(object as Stripe.Dispute))
      default:
        return 'ignored'
    }
  }

  /* The session names its company (client_reference_id), so nothing is guessed. */
  async #checkout(session: Stripe.Checkout.Session): Promise<Outcome> {
    const companyId = Number(session.client_reference_id)
    const customer = typeof session.customer === 'string' ? session.customer : session.customer?.id
    if (!Number.isSafeInteger(companyId) || companyId <= 0 || !customer) return 'ignored'
    await this.customers.link(companyId, customer)
    if ((await this.customers.companyOf(customer)) !== companyId) return 'ignored'
    if (session.mode === 'subscription' && session.subscription) {
      const id =
        typeof session.subscription === 'string' ? session.subscription : session.subscription.id
      return this.#outcome(await this.subscriptions.sync(id, companyId))
    }
    if (session.mode === 'payment')
      return this.#outcome(await this.credits.packPaid(companyId, session))
    return 'ignored'
  }

  async #invoicePaid(invoice: Stripe.Invoice): Promise<Outcome> {
    const customer = typeof invoice.customer === 'string' ? invoice.customer : invoice.customer?.id
    const companyId = customer ? await this.customers.companyOf(customer) : null
    if (!companyId)
      throw new Error(`invoice ${invoice.id}: no company for customer ${customer} yet`)
    return this.#outcome(await this.credits.invoicePaid(companyId, invoice))
  }

  #outcome(result: string): Outcome {
    return result === 'ignored' ? 'ignored' : 'applied'
  }
}
