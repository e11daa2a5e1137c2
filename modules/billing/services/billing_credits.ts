import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type Stripe from 'stripe'
import { CreditsService } from '#credits/services/credits_service'
import { StripeGateway } from '#billing/services/stripe_gateway'
import { BillingSettings } from '#billing/services/billing_settings'
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
    private settings: BillingSettings
  ) {}

  /** A paid subscription invoice grants its plan's credits, expiring when its period ends. */
  async invoicePaid(companyId: number, invoice: Stripe.Invoice) {
    const line = invoice.lines.data[0]
    const priceId = line?.pricing?.price_details?.price
    const found = planForPrice(typeof priceId === 'string' ? priceId : (priceId?.id ?? ''))
    if (!found || invoice.status !== 'paid') return 'ignored'
    const amount = creditsPerInvoice(found.plan, found.interval)
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
    const payment = await this.#payment(charge.payment_intent)
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
    const payment = await this.#payment(dispute.payment_intent)
    if (!payment || dispute.status !== 'lost') return 'ignored'
    return this.#takeBack(
      payment,
      Number(payment.credits),
      `stripe:dispute:${dispute.id}`,
      'Lost dispute'
    )
  }

  /*
  | The balance never goes negative: what was already spent cannot be taken back, so the entry
  | takes what is available and the shortfall is recorded in its metadata.
  */
  async #takeBack(payment: Record<string, any>, target: number, key: string, reason: string) {
    const wanted = target - Number(payment.credits_taken_back)
    if (wanted <= 0) return 'ignored'
    const account = await this.credits.balance(payment.company_id)
    const available = account.balance - account.held
    const amount = Math.min(wanted, Math.max(0, available))
    if (amount > 0)
      await this.credits.consume(payment.company_id, {
        amount,
        type: 'adjust',
        actor: { type: 'stripe', id: key.split(':')[2] },
        reason: `${reason} of ${payment.reference}`,
        metadata: { payment: payment.reference, wanted, shortfall: wanted - amount },
        idempotencyKey: key,
      })
    await db.from('billing_payments').where('id', payment.id).update({ credits_taken_back: target })
    return 'taken back'
  }

  async #payment(intent: string | Stripe.PaymentIntent | null) {
    const id = typeof intent === 'string' ? intent : intent?.id
    if (!id) return null
    const known = await db.from('billing_payments').where('payment_intent', id).first()
    if (known) return known
    const invoice = await this.gateway.invoiceOfPaymentIntent(id)
    if (!invoice) return null
    await db.from('billing_payments').where('reference', invoice).update({ payment_intent: id })
    return db.from('billing_payments').where('reference', invoice).first()
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
