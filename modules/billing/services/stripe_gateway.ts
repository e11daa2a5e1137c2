import Stripe from 'stripe'
import { ApiError } from '#app/exceptions/api_error'
import type { BillingSettings } from '#billing/services/billing_settings'

/*
| Everything Tandem asks of Stripe, through the official SDK, in one small class (bound in the
| container, swapped in tests for one pointing at the test suite's stand-in). STRIPE_API_BASE
| only changes where the SDK connects; requests and responses are Stripe's.
*/
export class StripeGateway {
  stripe: Stripe

  constructor(private settings: BillingSettings) {
    const base = settings.apiBase ? new URL(settings.apiBase) : null
    this.stripe = new Stripe(settings.secretKey || 'sk_missing', {
      maxNetworkRetries: 2,
      timeout: 15_000,
      ...(base && {
        host: base.hostname,
        port: Number(base.port || (base.protocol === 'https:' ? 443 : 80)),
        protocol: base.protocol.replace(':', '') as 'http' | 'https',
      }),
    })
  }

  /** The event, if the signature over the raw body is Stripe's and fresh; 400 otherwise. */
  verify(rawBody: Buffer, signature: string | undefined) {
    if (!this.settings.webhookSecret)
      throw new ApiError('E_BILLING_NOT_CONFIGURED', 'STRIPE_WEBHOOK_SECRET is not set', {
        status: 503,
      })
    try {
      return this.stripe.webhooks.constructEvent(
        rawBody,
        signature ?? '',
        this.settings.webhookSecret,
        this.settings.toleranceSeconds
      )
    } catch (error) {
      throw new ApiError(
        'E_INVALID_SIGNATURE',
        `Webhook signature refused: ${(error as Error).message}`,
        {
          status: 400,
        }
      )
    }
  }

  createCustomer(company: { id: number; name: string }, email: string | null) {
    return this.stripe.customers.create(
      {
        name: company.name,
        email: email ?? undefined,
        metadata: { company_id: String(company.id) },
      },
      { idempotencyKey: `tandem-customer-${company.id}` }
    )
  }

  createCheckoutSession(params: Stripe.Checkout.SessionCreateParams) {
    return this.stripe.checkout.sessions.create(params)
  }

  createPortalSession(customer: string, returnUrl: string) {
    return this.stripe.billingPortal.sessions.create({ customer, return_url: returnUrl })
  }

  retrieveSubscription(id: string) {
    return this.stripe.subscriptions.retrieve(id)
  }

  cancelSubscription(id: string) {
    return this.stripe.subscriptions.cancel(id)
  }

  async invoices(customer: string) {
    const page = await this.stripe.invoices.list({ customer, limit: 24 })
    return page.data
  }

  /** The invoice a payment intent paid, if it paid one (refunds find their invoice this way). */
  async invoiceOfPaymentIntent(paymentIntent: string) {
    const page = await this.stripe.invoicePayments.list({
      payment: { type: 'payment_intent', payment_intent: paymentIntent },
      limit: 1,
    })
    const invoice = page.data[0]?.invoice
    return typeof invoice === 'string' ? invoice : (invoice?.id ?? null)
  }

  retrieveCharge(id: string) {
    return this.stripe.charges.retrieve(id)
  }

  /** Every event created since `since` (unix seconds), oldest first. */
  async eventsSince(since: number, types: string[]) {
    const events: Stripe.Event[] = []
    for await (const event of this.stripe.events.list({
      created: { gte: since },
      types,
      limit: 100,
    }))
      events.push(event)
    return events.reverse()
  }

  /* Pinned to the SDK's API version: events arrive in the shapes this code reads. */
  createWebhookEndpoint(url: string, events: Stripe.WebhookEndpointCreateParams.EnabledEvent[]) {
    return this.stripe.webhookEndpoints.create({
      url,
      enabled_events: events,
      api_version: Stripe.API_VERSION as Stripe.WebhookEndpointCreateParams.ApiVersion,
    })
  }

  async webhookEndpoints() {
    const page = await this.stripe.webhookEndpoints.list({ limit: 100 })
    return page.data
  }

  retrievePrice(id: string) {
    return this.stripe.prices.retrieve(id)
  }
}
