import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type Company from '#accounts/models/company'
import type User from '#accounts/models/user'
import { ApiError } from '#app/exceptions/api_error'
import { StripeGateway } from '#billing/services/stripe_gateway'
import { BillingSettings } from '#billing/services/billing_settings'
import { Customers } from '#billing/services/customers'
import { Entitlements } from '#billing/services/entitlements'
import { LIVE_STATUSES, Subscriptions } from '#billing/services/subscriptions'
import { pack, plan, type Interval } from '#billing/services/plans'

/*
| Stripe Checkout for subscriptions and credit packs, and the customer portal. Every session
| names its company (`client_reference_id`) and what it sells (`metadata.plan` / `metadata.pack`),
| so the webhook applies it without guessing. The company is the payer.
*/
export type PageInvoice = {
  id: string
  created: string
  amount: number
  currency: string
  status: string | null
  reason: string | null
}

@inject()
export class Checkout {
  constructor(
    private gateway: StripeGateway,
    private settings: BillingSettings,
    private customers: Customers,
    private subscriptions: Subscriptions,
    private entitlements: Entitlements
  ) {}

  async subscribe(company: Company, payer: User, planId: string, interval: Interval) {
    this.#ensureConfigured()
    const definition = plan(planId)
    if (!definition) throw ApiError.invalid('E_UNKNOWN_PLAN', `No plan named ${planId}`, 'plan')
    if (definition.archived)
      throw ApiError.invalid('E_PLAN_ARCHIVED', `${definition.name} is no longer offered`, 'plan')
    const current = await this.subscriptions.current(company.id)
    if (current && LIVE_STATUSES.includes(current.status))
      throw ApiError.conflict(
        'E_ALREADY_SUBSCRIBED',
        'This company already has a subscription: change it in the billing portal'
      )
    const customer = await this.customers.ensure(company, payer)
    /* One trial per company: not for a company that ever subscribed. */
    const trialDays = current || !definition.trialDays ? undefined : definition.trialDays
    const session = await this.gateway.createCheckoutSession({
      mode: 'subscription',
      customer,
      client_reference_id: String(company.id),
      line_items: [{ price: definition.prices[interval], quantity: 1 }],
      metadata: { plan: planId, interval, company_id: String(company.id) },
      subscription_data: {
        ...(trialDays ? { trial_period_days: trialDays } : {}),
        metadata: { company_id: String(company.id), plan: planId },
      },
      success_url: this.#back(company.id, 'subscribed'),
      cancel_url: this.#back(company.id, 'canceled'),
    })
    return session.url!
  }

  async buyPack(company: Company, payer: User, packId: string) {
    this.#ensureConfigured()
    const definition = pack(packId)
    if (!definition)
      throw ApiError.invalid('E_UNKNOWN_PACK', `No credit pack named ${packId}`, 'pack')
    const customer = await this.customers.ensure(company, payer)
    const session = await this.gateway.createCheckoutSession({
      mode: 'payment',
      customer,
      client_reference_id: String(company.id),
      line_items: [{ price: definition.price, quantity: 1 }],
      metadata: { pack: packId, company_id: String(company.id) },
      success_url: this.#back(company.id, 'purchased'),
      cancel_url: this.#back(company.id, 'canceled'),
    })
    return session.url!
  }

  async portal(company: Company) {
    this.#ensureConfigured()
    const customer = await this.customers.find(company.id)
    if (!customer)
      throw ApiError.conflict(
        'E_NO_BILLING_ACCOUNT',
        'Subscribe or buy credits first: there is nothing to manage yet'
      )
    const session = await this.gateway.createPortalSession(customer, this.#page(company.id))
    return session.url
  }

  /*
  | The billing page's parts, each on its own so a partial reload (after a balance push) reads
  | only what it asks for: the invoices come from Stripe, the rest from the database.
  */
  overview(companyId: number) {
    let invoices: Promise<PageInvoice[] | null> | undefined
    const fromStripe = () => (invoices ??= this.#invoices(companyId))
    return {
      entitlements: () => this.entitlements.of(companyId),
      subscription: () => this.subscriptions.current(companyId),
      /* Stripe being unreachable must not take the page down: the invoices just are not listed. */
      invoicesUnavailable: () => fromStripe().then((list) => list === null),
      invoices: () => fromStripe().then((list) => list ?? []),
      payments: () => this.#payments(companyId),
    }
  }

  async #invoices(companyId: number): Promise<PageInvoice[] | null> {
    const customer = await this.customers.find(companyId)
    if (!customer) return []
    const invoices = await this.gateway.invoices(customer).catch(() => null)
    return (
      invoices?.map((invoice) => ({
        id: invoice.id,
        created: new Date(invoice.created * 1000).toISOString(),
        amount: invoice.amount_paid,
        currency: invoice.currency,
        status: invoice.status,
        reason: invoice.billing_reason,
      })) ?? null
    )
  }

  async #payments(companyId: number) {
    const payments = await db
      .from('billing_payments')
      .where('company_id', companyId)
      .orderBy('id', 'desc')
      .limit(50)
    return payments.map((row) => ({
      kind: row.kind as string,
      reference: row.reference as string,
      credits: Number(row.credits),
      takenBack: Number(row.credits_taken_back),
    }))
  }

  #ensureConfigured() {
    if (!this.settings.configured)
      throw new ApiError('E_BILLING_NOT_CONFIGURED', 'Payments are not set up on this server yet', {
        status: 503,
      })
  }

  #page(companyId: number) {
    return `${this.settings.appUrl}/companies/${companyId}/billing`
  }

  #back(companyId: number, outcome: string) {
    return `${this.#page(companyId)}?checkout=${outcome}&session_id={CHECKOUT_SESSION_ID}`
  }
}
