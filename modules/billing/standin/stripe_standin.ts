import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { once } from 'node:events'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import Stripe from 'stripe'
import { parseStripeForm } from '#billing/standin/form'
import { stripeId } from '#billing/standin/ids'
import {
  StandinError,
  StandinStore,
  type PriceSeed,
  type StripeObject,
} from '#billing/standin/standin_store'
import { checkoutPage, portalPage } from '#billing/standin/pages'

/*
| A local stand-in for Stripe: the endpoints Tandem calls, with Stripe's request and response
| shapes, a checkout page that completes or cancels, a small customer portal, and webhooks
| signed like Stripe signs them. The app starts it in local mode and the test suite starts its
| own; the official SDK talks to it through its host/port/protocol options.
*/
export type Endpoint = { id: string; url: string; secret: string; enabledEvents: string[] }
type Route = (
  req: IncomingMessage,
  res: ServerResponse,
  params: string[],
  body: Record<string, any>
) => Promise<unknown>

export class StripeStandin {
  store: StandinStore
  endpoints: Endpoint[] = []
  /** While true, events are recorded but not delivered (a webhook outage). */
  paused = false
  deliveries: Array<{ event: string; type: string; url: string; status: number }> = []
  #server?: Server
  #signer = new Stripe('sk_test_standin_signer')
  #routes: Array<[string, RegExp, Route]> = []
  url = ''

  constructor(
    private options: {
      secretKey: string
      prices: PriceSeed[]
      host?: string
      port?: number
      /** Local mode: keep customers, subscriptions… across restarts of the app. */
      stateFile?: string
    }
  ) {
    this.store = new StandinStore(options.prices)
    this.#load()
    this.store.onEvents = (events) => this.deliver(events)
    this.#define()
  }

  async start() {
    this.#server = createServer((req, res) => this.#handle(req, res))
    this.#server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1')
    await once(this.#server, 'listening')
    const { port } = this.#server.address() as { port: number }
    this.url = `http://${this.options.host ?? '127.0.0.1'}:${port}`
    return this
  }

  async stop() {
    if (!this.#server) return
    this.#server.closeAllConnections()
    await new Promise((resolve) => this.#server!.close(resolve))
    this.#server = undefined
  }

  addEndpoint(url: string, secret: string, enabledEvents = ['*']) {
    const endpoint = { id: stripeId('we'), url, secret, enabledEvents }
    this.endpoints.push(endpoint)
    return endpoint
  }

  /** Signs like Stripe (`t=…,v1=HMAC-SHA256(secret, "t.payload")`). */
  sign(payload: string, secret: string, timestamp?: number) {
    return this.#signer.webhooks.generateTestHeaderString({ payload, secret, timestamp })
  }

  async deliver(events: StripeObject[]) {
    if (this.paused) return
    for (const event of events)
      for (const endpoint of this.endpoints)
        if (endpoint.enabledEvents.includes('*') || endpoint.enabledEvents.includes(event.type))
          await this.#post(endpoint, event)
  }

  async #post(endpoint: Endpoint, event: StripeObject) {
    const payload = JSON.stringify(event, null, 2)
    for (const delay of [0, 200, 1000]) {
      if (delay) await new Promise((resolve) => setTimeout(resolve, delay))
      const status = await fetch(endpoint.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'stripe-signature': this.sign(payload, endpoint.secret),
        },
        body: payload,
      })
        .then(async (response) => {
          await response.arrayBuffer()
          return response.status
        })
        .catch(() => 0)
      this.deliveries.push({ event: event.id, type: event.type, url: endpoint.url, status })
      if (status >= 200 && status < 300) return
    }
  }

  async #handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://standin')
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const text = Buffer.concat(chunks).toString()
    const body = { ...parseStripeForm(url.search.slice(1)), ...parseStripeForm(text) }
    try {
      for (const [method, pattern, route] of this.#routes) {
        const match = req.method === method ? pattern.exec(url.pathname) : null
        if (!match) continue
        if (
          url.pathname.startsWith('/v1/') &&
          req.headers.authorization !== `Bearer ${this.options.secretKey}`
        )
          throw new StandinError('Invalid API Key provided', undefined, 401)
        const result = await route(req, res, match.slice(1), body)
        if (!res.headersSent) json(res, 200, result)
        if (req.method !== 'GET') this.#save()
        return
      }
      throw new StandinError(
        `Unrecognized request URL (${req.method}: ${url.pathname})`,
        undefined,
        404
      )
    } catch (error) {
      const failure =
        error instanceof StandinError ? error : new StandinError(String(error), undefined, 500)
      json(res, failure.status, {
        error: {
          type: failure.status === 401 ? 'authentication_error' : 'invalid_request_error',
          message: failure.message,
          ...(failure.param ? { param: failure.param } : {}),
        },
      })
    }
  }

  #load() {
    if (!this.options.stateFile || !existsSync(this.options.stateFile)) return
    const state = JSON.parse(readFileSync(this.options.stateFile, 'utf8'))
    for (const object of state.objects ?? []) this.store.put(object)
    this.store.events = state.events ?? []
    this.store.invoicePayments = state.invoicePayments ?? []
  }

  #save() {
    if (!this.options.stateFile) return
    const { objects, events, invoicePayments } = this.store
    const state = { objects: [...objects.values()], events, invoicePayments }
    try {
      mkdirSync(dirname(this.options.stateFile), { recursive: true })
      writeFileSync(this.options.stateFile, JSON.stringify(state))
    } catch (error) {
      console.warn(`Stripe stand-in: state not saved to ${this.options.stateFile}: ${error}`)
    }
  }

  #on(method: string, path: string, route: Route) {
    this.#routes.push([method, new RegExp(`^${path.replace(/:\w+/g, '([^/]+)')}$`), route])
  }

  #find(id: string, object: string) {
    const found = this.store.get(id, object)
    if (!found) throw new StandinError(`No such ${object.replace(/_/g, ' ')}: '${id}'`, 'id', 404)
    return found
  }

  #define() {
    const s = this.store
    this.#on('POST', '/v1/customers', async (_q, _r, _p, b) => s.createCustomer(b))
    this.#on('GET', '/v1/customers/:id', async (_q, _r, [id]) => this.#find(id, 'customer'))
    this.#on('GET', '/v1/prices/:id', async (_q, _r, [id]) => this.#find(id, 'price'))
    this.#on('GET', '/v1/prices', async (_q, _r, _p, b) => page('/v1/prices', s.list('price'), b))
    this.#on('POST', '/v1/checkout/sessions', async (_q, _r, _p, b) =>
      publicView(s.createCheckoutSession(b, this.url))
    )
    this.#on('GET', '/v1/checkout/sessions/:id', async (_q, _r, [id]) =>
      publicView(this.#find(id, 'checkout.session'))
    )
    this.#on('POST', '/v1/billing_portal/sessions', async (_q, _r, _p, b) => {
      this.#find(b.customer, 'customer')
      const id = stripeId('bps')
      return s.put({
        id,
        object: 'billing_portal.session',
        customer: b.customer,
        return_url: b.return_url,
        url: `${this.url}/portal/${id}`,
        livemode: false,
      })
    })
    this.#on('GET', '/v1/subscriptions/:id', async (_q, _r, [id]) => this.#find(id, 'subscription'))
    this.#on('GET', '/v1/subscriptions', async (_q, _r, _p, b) =>
      page(
        '/v1/subscriptions',
        s.list('subscription', (o) => !b.customer || o.customer === b.customer),
        b
      )
    )
    this.#on('POST', '/v1/subscriptions/:id', async (_q, _r, [id], b) =>
      s.updateSubscription(id, {
        price: b.items?.[0]?.price,
        cancelAtPeriodEnd:
          b.cancel_at_period_end === undefined ? undefined : b.cancel_at_period_end === 'true',
      })
    )
    this.#on('DELETE', '/v1/subscriptions/:id', async (_q, _r, [id]) => s.cancelNow(id))
    this.#on('GET', '/v1/invoices/:id', async (_q, _r, [id]) => this.#find(id, 'invoice'))
    this.#on('GET', '/v1/invoices', async (_q, _r, _p, b) =>
      page(
        '/v1/invoices',
        s.list('invoice', (o) => !b.customer || o.customer === b.customer),
        b
      )
    )
    this.#on('GET', '/v1/invoice_payments', async (_q, _r, _p, b) =>
      page(
        '/v1/invoice_payments',
        s.invoicePayments.filter(
          (p) =>
            (!b.invoice || p.invoice === b.invoice) &&
            (!b.payment?.payment_intent || p.payment.payment_intent === b.payment.payment_intent)
        ),
        b
      )
    )
    this.#on('GET', '/v1/charges/:id', async (_q, _r, [id]) => this.#find(id, 'charge'))
    this.#on('GET', '/v1/events/:id', async (_q, _r, [id]) => {
      const event = s.events.find((e) => e.id === id)
      if (!event) throw new StandinError(`No such event: '${id}'`, 'id', 404)
      return event
    })
    this.#on('GET', '/v1/events', async (_q, _r, _p, b) => {
      const since = Number(b.created?.gte ?? 0)
      const types: string[] | null = b.types ?? (b.type ? [b.type] : null)
      const events = [...s.events]
        .reverse()
        .filter((e) => e.created >= since && (!types || types.includes(e.type)))
      return page('/v1/events', events, b)
    })
    this.#on('POST', '/v1/webhook_endpoints', async (_q, _r, _p, b) => {
      const endpoint = this.addEndpoint(
        b.url,
        `whsec_${stripeId('x').slice(2)}`,
        b.enabled_events ?? ['*']
      )
      return endpointView(endpoint, true)
    })
    this.#on('GET', '/v1/webhook_endpoints', async (_q, _r, _p, b) =>
      page(
        '/v1/webhook_endpoints',
        this.endpoints.map((e) => endpointView(e, false)),
        b
      )
    )
    this.#pages()
  }

  #pages() {
    const s = this.store
    this.#on('GET', '/checkout/:id', async (_q, res, [id]) => {
      const session = this.#find(id, 'checkout.session')
      html(res, checkoutPage(session, s.get(session._price, 'price')!))
    })
    this.#on('POST', '/checkout/:id/pay', async (_q, res, [id]) => {
      const session = await s.completeCheckout(id)
      redirect(res, session.success_url.replace('{CHECKOUT_SESSION_ID}', session.id))
    })
    this.#on('POST', '/checkout/:id/cancel', async (_q, res, [id]) => {
      const session = this.#find(id, 'checkout.session')
      session.status = 'expired'
      redirect(res, session.cancel_url ?? session.success_url)
    })
    const portalSubscription = (portal: StripeObject) =>
      s.list('subscription', (o) => o.customer === portal.customer && o.status !== 'canceled')[0] ??
      null
    this.#on('GET', '/portal/:id', async (_q, res, [id]) => {
      const portal = this.#find(id, 'billing_portal.session')
      html(res, portalPage(portal, portalSubscription(portal), s.list('price')))
    })
    for (const action of ['plan', 'cancel', 'resume'])
      this.#on('POST', `/portal/:id/${action}`, async (_q, res, [id], b) => {
        const portal = this.#find(id, 'billing_portal.session')
        const subscription = portalSubscription(portal)
        if (!subscription) throw new StandinError('No subscription to change')
        await s.updateSubscription(
          subscription.id,
          action === 'plan' ? { price: b.price } : { cancelAtPeriodEnd: action === 'cancel' }
        )
        redirect(res, `/portal/${id}`)
      })
    /* Test controls: what happens later in real life (renewals, refunds, disputes, outages). */
    this.#on('POST', '/_standin/subscriptions/:id/renew', async (_q, _r, [id], b) =>
      s.renew(id, { fail: b.fail === '1' })
    )
    this.#on('POST', '/_standin/charges/:id/refund', async (_q, _r, [id], b) =>
      s.refund(id, b.amount ? Number(b.amount) : undefined)
    )
    this.#on('POST', '/_standin/charges/:id/dispute', async (_q, _r, [id]) => s.loseDispute(id))
    this.#on('POST', '/_standin/webhooks/:state', async (_q, _r, [state]) => {
      this.paused = state === 'pause'
      return { paused: this.paused }
    })
  }
}

/* Stripe's list envelope, newest first, with `limit` and `starting_after`. */
function page(path: string, items: StripeObject[], params: Record<string, any>) {
  const limit = Math.min(100, Number(params.limit ?? 10))
  const start = params.starting_after
    ? items.findIndex((item) => item.id === params.starting_after) + 1
    : 0
  const data = items.slice(start, start + limit)
  return { object: 'list', data, has_more: start + limit < items.length, url: path }
}

/* The stand-in's own bookkeeping (`_…`) never leaves it. */
function publicView(object: StripeObject) {
  return Object.fromEntries(Object.entries(object).filter(([key]) => !key.startsWith('_')))
}

function endpointView(endpoint: Endpoint, withSecret: boolean) {
  return {
    id: endpoint.id,
    object: 'webhook_endpoint',
    url: endpoint.url,
    enabled_events: endpoint.enabledEvents,
    status: 'enabled',
    ...(withSecret ? { secret: endpoint.secret } : {}),
  }
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': stripeId('req') })
  res.end(JSON.stringify(body))
}

function html(res: ServerResponse, text: string) {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
  res.end(text)
}

function redirect(res: ServerResponse, location: string) {
  res.writeHead(303, { location })
  res.end()
}
