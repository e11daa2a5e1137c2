import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type Stripe from 'stripe'
import { CreditsService } from '#credits/services/credits_service'
import { StripeGateway } from '#billing/services/stripe_gateway'
import { BillingSettings } from '#billing/services/billing_settings'
import { Customers } from '#billing/services/customers'
import { affectedRows } from '#app/helpers/query_results'
import { creditsPerInvoice, pack, planForPrice } from '#billing/services/plans'

/*
| Payments become credits, and refunds or lost disputes take them back. Each grant carries an
| idempotency key made of the Stripe object's id, so applying an event twice (a redelivery, a
| sync after an outage) never grants twice; billing_payments remembers what each payment bought.
*/
@inject()
export class BillingCredits {
  constructor(
    private credits: CreditsService,
    private gateway: StripeGateway,
    private settings: BillingSettings,
    private customers: Customers
  ) {}

  /*
  | A paid subscription invoice grants its plan's credits, expiring when its period ends: a month,
  | or twelve for a yearly invoice. A $0 invoice (a trial) grants one month, never a year. The plan
  | is read from the invoice's last line with a known price (proration lines come first).
  */
  async invoicePaid(companyId: number, invoice: Stripe.Invoice) {
    const line = [...invoice.lines.data].reverse().find((item) => planForPrice(priceOf(item)))
    const found = line ? planForPrice(priceOf(line)) : null
    if (!line || !found || invoice.status !== 'paid') return 'ignored'
    const amount =
      invoice.amount_paid > 0
        ? creditsPerInvoice(found.plan, found.interval)
        : found.plan.monthlyCredits
    await this.credits.grant(companyId, {
      amount,
      type: 'purchase',
      kind: 'paid',
      expiresAt: line.period.end * 1000,
      actor: { type: 'stripe', id: invoice.id },
      reason: `${found.plan.name} plan credits`,
      metadata: { invoice: invoice.id, plan: found.id, interval: found.interval },
      idempotencyKey: `stripe:invoice:${invoice.id}`,
    })
    /* Its payment intent is looked up only if a refund ever comes: one Stripe call less per invoice. */
    await this.#remember(
      companyId,
      'invoice',
      invoice.id!,
      null,
      invoice.amount_paid,
      invoice.currency,
      amount
    )
    return 'granted'
  }

  /** A paid Checkout Session for a credit pack grants the pack (no expiry). */
  async packPaid(companyId: number, session: Stripe.Checkout.Session) {
    const definition = pack(session.metadata?.pack ?? '')
    if (!definition || session.payment_status !== 'paid') return 'ignored'
    const intent =
      typeof session.payment_intent === 'string'
        ? session.payment_intent
        : (session.payment_intent?.id ?? null)
    await this.credits.grant(companyId, {
      amount: definition.credits,
      type: 'purchase',
      kind: 'paid',
      actor: { type: 'stripe', id: session.id },
      reason: `Credit pack: ${definition.name}`,
      metadata: { checkoutSession: session.id, pack: session.metadata?.pack },
      idempotencyKey: `stripe:checkout:${session.id}`,
    })
    await this.#remember(
      companyId,
      'pack',
      session.id,
      intent,
      session.amount_total ?? 0,
      session.currency ?? 'usd',
      definition.credits
    )
    return 'granted'
  }

  /** A refund takes back its share of the credits (all of them for a full refund). */
  async refunded(charge: Stripe.Charge) {
    const payment = await this.#payment(charge.payment_intent, charge.customer)
    if (!payment || !charge.amount) return 'ignored'
    const target = Math.round((Number(payment.credits) * charge.amount_refunded) / charge.amount)
    return this.#takeBack(
      payment,
      target,
      `stripe:refund:${charge.id}:${charge.amount_refunded}`,
      'Refund'
    )
  }

  /** A lost dispute takes back everything the payment bought. */
  async disputeLost(dispute: Stripe.Dispute) {
    if (dispute.status !== 'lost') return 'ignored'
    const charge =
      typeof dispute.charge === 'string'
        ? await this.gateway.retrieveCharge(dispute.charge)
        : dispute.charge
    const payment = await this.#payment(dispute.payment_intent, charge.customer)
    if (!payment) return 'ignored'
    return this.#takeBack(
      payment,
      Number(payment.credits),
      `stripe:dispute:${dispute.id}`,
      'Lost dispute'
    )
  }

  /*
  | The balance never goes negative: what was already spent cannot be taken back, so the entry
  | takes what is available and the shortfall is recorded in its metadata. Two refunds of one
  | payment at once cannot both take the same credits: each first moves `credits_taken_back`
  | with a compare-and-set, and only the winner of a given step writes its entry.
  */
  async #takeBack(payment: Record<string, any>, target: number, key: string, reason: string) {
    let row = payment
    for (let attempt = 0; attempt < 10; attempt++) {
      const before = Number(row.credits_taken_back)
      const wanted = target - before
      if (wanted <= 0) return 'ignored'
      const moved = affectedRows(
        await db
          .from('billing_payments')
          .where({ id: row.id, credits_taken_back: before })
          .update({ credits_taken_back: target })
      )
      if (moved) return this.#consume(row, wanted, key, reason, before)
      row = await db.from('billing_payments').where('id', row.id).first()
    }
    throw new Error(`taking back credits for ${payment.reference} kept racing`)
  }

  async #consume(
    payment: Record<string, any>,
    wanted: number,
    key: string,
    reason: string,
    before: number
  ) {
    try {
      const account = await this.credits.balance(payment.company_id)
      const amount = Math.min(wanted, Math.max(0, account.balance - account.held))
      if (amount > 0)
        await this.credits.consume(payment.company_id, {
          amount,
          type: 'adjust',
          actor: { type: 'stripe', id: key.split(':')[2] },
          reason: `${reason} of ${payment.reference}`,
          metadata: { payment: payment.reference, wanted, shortfall: wanted - amount },
          idempotencyKey: key,
        })
      return 'taken back'
    } catch (error) {
      /* Hand the step back so the retry (Stripe's, or billing:sync) can take it again. */
      await db
        .from('billing_payments')
        .where('id', payment.id)
        .update({ credits_taken_back: before })
      throw error
    }
  }

  /*
  | What a payment bought. A subscription invoice's payment intent is learned from Stripe the
  | first time a refund needs it. A payment of one of our customers that is not recorded yet (its
  | own event still on the way) fails the refund event, so Stripe delivers it again later.
  */
  async #payment(
    intent: string | Stripe.PaymentIntent | null,
    customer: string | Stripe.Customer | Stripe.DeletedCustomer | null
  ) {
    const id = typeof intent === 'string' ? intent : intent?.id
    if (!id) return null
    const known = await db.from('billing_payments').where('payment_intent', id).first()
    if (known) return known
    const invoice = await this.gateway.invoiceOfPaymentIntent(id)
    if (invoice) {
      await db.from('billing_payments').where('reference', invoice).update({ payment_intent: id })
      const row = await db.from('billing_payments').where('reference', invoice).first()
      if (row) return row
    }
    const customerId = typeof customer === 'string' ? customer : customer?.id
    if (customerId && (await this.customers.companyOf(customerId)))
      throw new Error(`payment ${id} of a Tandem customer is not recorded yet; retry later`)
    return null
  }

  async #remember(
    companyId: number,
    kind: 'invoice' | 'pack',
    reference: string,
    paymentIntent: string | null,
    amount: number,
    currency: string,
    credits: number
  ) {
    await db
      .insertQuery()
      .table('billing_payments')
      .insert({
        company_id: companyId,
        kind,
        reference,
        payment_intent: paymentIntent,
        amount,
        currency,
        credits,
        created_at: this.settings.now(),
      })
      .onConflict('reference')
      .ignore()
  }
}

function priceOf(line: Stripe.InvoiceLineItem) {
  const price = line.pricing?.price_details?.price
  return typeof price === 'string' ? price : (price?.id ?? '')
}
