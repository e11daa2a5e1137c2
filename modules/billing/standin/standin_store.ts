import { nowSeconds, stripeId } from '#billing/standin/ids'

/*
| The stand-in's state: Stripe objects in the shapes of API version 2026-10-28 (what the SDK we
| use speaks), and the events their changes produce. Only what Tandem calls is modelled:
| customers, prices, Checkout Sessions (subscription and payment mode), subscriptions,
| invoices with their payments, charges, refunds, disputes and webhook endpoints.
*/
export type StripeObject = Record<string, any> & { id: string; object: string }
export type PriceSeed = {
  id: string
  unitAmount: number
  currency: string
  interval: 'month' | 'year' | null
  nickname: string
  /** Archived in Stripe: existing subscriptions keep it, nobody can pick it. */
  active?: boolean
}

const DAY = 86_400
const periodOf = (interval: 'month' | 'year') => (interval === 'year' ? 365 * DAY : 30 * DAY)

export class StandinStore {
  objects = new Map<string, StripeObject>()
  events: StripeObject[] = []
  /** Invoice payments (invoice ↔ payment intent), as /v1/invoice_payments lists them. */
  invoicePayments: StripeObject[] = []
  onEvents: (events: StripeObject[]) => Promise<void> = async () => {}

  constructor(prices: PriceSeed[]) {
    for (const seed of prices) this.put(priceObject(seed))
  }

  put<T extends StripeObject>(object: T) {
    this.objects.set(object.id, object)
    return object
  }

  get(id: string, object?: string) {
    const found = this.objects.get(id)
    return found && (!object || found.object === object) ? found : null
  }

  list(object: string, filter: (o: StripeObject) => boolean = () => true) {
    return [...this.objects.values()].filter((o) => o.object === object && filter(o)).reverse()
  }

  event(type: string, object: StripeObject, previous?: Record<string, unknown>) {
    const event: StripeObject = {
      id: stripeId('evt'),
      object: 'event',
      api_version: '2026-10-28.endive',
      created: nowSeconds(),
      data: {
        object: structuredClone(object),
        ...(previous ? { previous_attributes: previous } : {}),
      },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
    }
    this.events.push(event)
    return event
  }

  async emit(events: StripeObject[]) {
    await this.onEvents(events)
  }

  createCustomer(params: Record<string, any>) {
    return this.put({
      id: stripeId('cus'),
      object: 'customer',
      created: nowSeconds(),
      email: params.email ?? null,
      name: params.name ?? null,
      metadata: params.metadata ?? {},
      livemode: false,
    })
  }

  createCheckoutSession(params: Record<string, any>, baseUrl: string) {
    const price = this.get(params.line_items?.[0]?.price, 'price')
    if (!price)
      throw new StandinError(
        `No such price: '${params.line_items?.[0]?.price}'`,
        'line_items[0][price]'
      )
    if (!price.active)
      throw new StandinError('The price specified is inactive', 'line_items[0][price]')
    const id = stripeId('cs_test')
    return this.put({
      id,
      object: 'checkout.session',
      url: `${baseUrl}/checkout/${id}`,
      mode: params.mode,
      status: 'open',
      payment_status: 'unpaid',
      customer: params.customer ?? null,
      customer_email: params.customer_email ?? null,
      client_reference_id: params.client_reference_id ?? null,
      metadata: params.metadata ?? {},
      success_url: params.success_url,
      cancel_url: params.cancel_url ?? null,
      subscription: null,
      payment_intent: null,
      amount_total: price.unit_amount * Number(params.line_items[0].quantity ?? 1),
      currency: price.currency,
      created: nowSeconds(),
      expires_at: nowSeconds() + DAY,
      livemode: false,
      _price: price.id,
      _trialDays: Number(params.subscription_data?.trial_period_days ?? 0),
      _subscriptionMetadata: params.subscription_data?.metadata ?? {},
    })
  }

  /** The customer pays on the checkout page: what Stripe creates, then its events. */
  async completeCheckout(sessionId: string) {
    const session = this.get(sessionId, 'checkout.session')
    if (!session || session.status !== 'open')
      throw new StandinError('This Checkout Session is no longer open')
    const customer = session.customer
      ? this.get(session.customer, 'customer')!
      : this.createCustomer({ email: session.customer_email })
    const price = this.get(session._price, 'price')!
    const events: StripeObject[] = []
    if (session.mode === 'subscription') {
      const subscription = this.#subscribe(
        customer.id,
        price,
        session._trialDays,
        session._subscriptionMetadata
      )
      const invoice = this.#invoice(subscription, 'subscription_create')
      Object.assign(session, {
        status: 'complete',
        customer: customer.id,
        subscription: subscription.id,
        payment_status: invoice.amount_paid > 0 ? 'paid' : 'no_payment_required',
      })
      events.push(
        this.event('checkout.session.completed', session),
        this.event('customer.subscription.created', subscription),
        this.event('invoice.paid', invoice)
      )
    } else {
      const { paymentIntent } = this.#charge(customer.id, price.unit_amount, price.currency)
      Object.assign(session, {
        status: 'complete',
        customer: customer.id,
        payment_status: 'paid',
        payment_intent: paymentIntent.id,
      })
      events.push(this.event('checkout.session.completed', session))
    }
    await this.emit(events)
    return session
  }

  async updateSubscription(id: string, changes: { price?: string; cancelAtPeriodEnd?: boolean }) {
    const subscription = this.#subscription(id)
    const previous: Record<string, unknown> = {}
    const events: StripeObject[] = []
    if (changes.cancelAtPeriodEnd !== undefined) {
      previous.cancel_at_period_end = subscription.cancel_at_period_end
      subscription.cancel_at_period_end = changes.cancelAtPeriodEnd
      subscription.canceled_at = changes.cancelAtPeriodEnd ? nowSeconds() : null
    }
    if (changes.price) {
      const price = this.get(changes.price, 'price')
      if (!price) throw new StandinError(`No such price: '${changes.price}'`, 'items[0][price]')
      previous.items = structuredClone(subscription.items)
      const item = subscription.items.data[0]
      item.price = price
      item.current_period_start = nowSeconds()
      item.current_period_end = nowSeconds() + periodOf(price.recurring.interval)
      events.push(this.event('invoice.paid', this.#invoice(subscription, 'subscription_update')))
    }
    events.unshift(this.event('customer.subscription.updated', subscription, previous))
    await this.emit(events)
    return subscription
  }

  /** A new billing period: the renewal invoice is paid (or fails: `past_due`). */
  async renew(id: string, options: { fail?: boolean } = {}) {
    const subscription = this.#subscription(id)
    const item = subscription.items.data[0]
    const length = periodOf(item.price.recurring.interval)
    item.current_period_start = item.current_period_end
    item.current_period_end = item.current_period_start + length
    const previous = { status: subscription.status }
    const invoice = this.#invoice(subscription, 'subscription_cycle', options.fail)
    subscription.status = options.fail ? 'past_due' : 'active'
    await this.emit([
      this.event('customer.subscription.updated', subscription, previous),
      this.event(options.fail ? 'invoice.payment_failed' : 'invoice.paid', invoice),
    ])
    return invoice
  }

  async cancelNow(id: string) {
    const subscription = this.#subscription(id)
    Object.assign(subscription, {
      status: 'canceled',
      canceled_at: nowSeconds(),
      ended_at: nowSeconds(),
    })
    await this.emit([this.event('customer.subscription.deleted', subscription)])
    return subscription
  }

  async refund(chargeId: string, amount?: number) {
    const charge = this.get(chargeId, 'charge')
    if (!charge) throw new StandinError(`No such charge: '${chargeId}'`)
    const refunded = Math.min(charge.amount, charge.amount_refunded + (amount ?? charge.amount))
    Object.assign(charge, { amount_refunded: refunded, refunded: refunded === charge.amount })
    await this.emit([this.event('charge.refunded', charge)])
    return charge
  }

  async loseDispute(chargeId: string) {
    const charge = this.get(chargeId, 'charge')
    if (!charge) throw new StandinError(`No such charge: '${chargeId}'`)
    const dispute = this.put({
      id: stripeId('dp'),
      object: 'dispute',
      amount: charge.amount,
      currency: charge.currency,
      charge: charge.id,
      payment_intent: charge.payment_intent,
      status: 'lost',
      reason: 'fraudulent',
      created: nowSeconds(),
    })
    Object.assign(charge, { disputed: true })
    await this.emit([this.event('charge.dispute.closed', dispute)])
    return dispute
  }

  #subscription(id: string) {
    const subscription = this.get(id, 'subscription')
    if (!subscription) throw new StandinError(`No such subscription: '${id}'`)
    return subscription
  }

  #subscribe(
    customer: string,
    price: StripeObject,
    trialDays: number,
    metadata: Record<string, string>
  ) {
    const start = nowSeconds()
    const trialEnd = trialDays > 0 ? start + trialDays * DAY : null
    return this.put({
      id: stripeId('sub'),
      object: 'subscription',
      customer,
      status: trialEnd ? 'trialing' : 'active',
      items: {
        object: 'list',
        data: [
          {
            id: stripeId('si'),
            object: 'subscription_item',
            price,
            quantity: 1,
            current_period_start: start,
            current_period_end: trialEnd ?? start + periodOf(price.recurring.interval),
          },
        ],
      },
      trial_start: trialEnd ? start : null,
      trial_end: trialEnd,
      cancel_at_period_end: false,
      canceled_at: null,
      ended_at: null,
      created: start,
      metadata,
      livemode: false,
    })
  }

  #invoice(subscription: StripeObject, reason: string, fail = false) {
    const item = subscription.items.data[0]
    const amount =
      subscription.status === 'trialing' && reason === 'subscription_create'
        ? 0
        : item.price.unit_amount
    const invoice = this.put({
      id: stripeId('in'),
      object: 'invoice',
      customer: subscription.customer,
      status: fail ? 'open' : 'paid',
      billing_reason: reason,
      currency: item.price.currency,
      amount_due: amount,
      amount_paid: fail ? 0 : amount,
      created: nowSeconds(),
      parent: {
        type: 'subscription_details',
        subscription_details: { subscription: subscription.id, metadata: subscription.metadata },
      },
      lines: {
        object: 'list',
        data: [
          {
            id: stripeId('il'),
            object: 'line_item',
            amount,
            period: { start: item.current_period_start, end: item.current_period_end },
            pricing: {
              type: 'price_details',
              price_details: { price: item.price.id, product: item.price.product },
            },
          },
        ],
      },
      livemode: false,
    })
    subscription.latest_invoice = invoice.id
    if (!fail && amount > 0) {
      const { paymentIntent } = this.#charge(subscription.customer, amount, invoice.currency)
      this.invoicePayments.push({
        id: stripeId('inpay'),
        object: 'invoice_payment',
        invoice: invoice.id,
        amount_paid: amount,
        status: 'paid',
        payment: { type: 'payment_intent', payment_intent: paymentIntent.id },
        created: nowSeconds(),
      })
    }
    return invoice
  }

  #charge(customer: string, amount: number, currency: string) {
    const paymentIntent = this.put({
      id: stripeId('pi'),
      object: 'payment_intent',
      amount,
      currency,
      customer,
      status: 'succeeded',
      latest_charge: null as string | null,
      created: nowSeconds(),
    })
    const charge = this.put({
      id: stripeId('ch'),
      object: 'charge',
      amount,
      amount_refunded: 0,
      refunded: false,
      disputed: false,
      currency,
      customer,
      payment_intent: paymentIntent.id,
      paid: true,
      status: 'succeeded',
      created: nowSeconds(),
    })
    paymentIntent.latest_charge = charge.id
    return { paymentIntent, charge }
  }
}

export class StandinError extends Error {
  constructor(
    message: string,
    public param?: string,
    public status = 400
  ) {
    super(message)
  }
}

function priceObject(seed: PriceSeed): StripeObject {
  return {
    id: seed.id,
    object: 'price',
    active: seed.active ?? true,
    currency: seed.currency,
    unit_amount: seed.unitAmount,
    nickname: seed.nickname,
    product: `prod_${seed.id.replace(/^price_/, '')}`,
    type: seed.interval ? 'recurring' : 'one_time',
    recurring: seed.interval ? { interval: seed.interval, interval_count: 1 } : null,
    livemode: false,
  }
}
