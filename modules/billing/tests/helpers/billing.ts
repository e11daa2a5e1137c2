import app from '@adonisjs/core/services/app'
import type { Group } from '@japa/runner/core'
import { BillingSettings } from '#billing/services/billing_settings'
import { StripeGateway } from '#billing/services/stripe_gateway'
import { StripeStandin } from '#billing/standin/stripe_standin'
import { configuredPrices } from '#billing/standin/catalog'
import { testServerUrl } from '#tests/helpers/realtime'
import { baseEnv, sharedServicesEnv } from '#tests/helpers/app_process'

export const TEST_SECRET_KEY = 'sk_test_suite_0123456789'
export const TEST_WEBHOOK_SECRET = 'whsec_test_suite_0123456789abcdef'

/*
| Each group gets its own Stripe stand-in (a real HTTP server speaking Stripe's API), and the
| app's BillingSettings and StripeGateway are swapped to point the official SDK at it. Webhooks
| go back to the test server, signed with TEST_WEBHOOK_SECRET.
*/
export function withStandin(group: Group) {
  const context: { standin: StripeStandin; settings: BillingSettings } = {} as any
  group.setup(async () => {
    const standin = await new StripeStandin({
      secretKey: TEST_SECRET_KEY,
      prices: configuredPrices(),
    }).start()
    const settings = Object.assign(new BillingSettings(), {
      standin: false,
      secretKey: TEST_SECRET_KEY,
      webhookSecret: TEST_WEBHOOK_SECRET,
      apiBase: standin.url,
      appUrl: testServerUrl(),
    })
    const gateway = new StripeGateway(settings)
    app.container.swap(BillingSettings, () => settings)
    app.container.swap(StripeGateway, () => gateway)
    context.standin = standin
    context.settings = settings
    return async () => {
      app.container.restore(BillingSettings)
      app.container.restore(StripeGateway)
      await standin.stop()
    }
  })
  group.each.setup(() => {
    const standin = context.standin
    standin.endpoints = []
    standin.deliveries = []
    standin.store.events = []
    standin.paused = false
    standin.addEndpoint(`${testServerUrl()}/webhooks/stripe`, TEST_WEBHOOK_SECRET)
  })
  return context
}

/** POSTs an event to the webhook as Stripe would, or with a chosen signature/timestamp. */
export async function deliver(
  standin: StripeStandin,
  event: Record<string, unknown>,
  options: { secret?: string; timestamp?: number; tamper?: (payload: string) => string } = {}
) {
  const payload = JSON.stringify(event)
  const signature = standin.sign(payload, options.secret ?? TEST_WEBHOOK_SECRET, options.timestamp)
  const response = await fetch(`${testServerUrl()}/webhooks/stripe`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': signature },
    body: options.tamper ? options.tamper(payload) : payload,
  })
  return { status: response.status, body: (await response.json().catch(() => null)) as any }
}

/** Subscribes through the app's Checkout and pays on the stand-in; returns the session. */
export async function subscribeAndPay(
  standin: StripeStandin,
  company: import('#accounts/models/company').default,
  payer: import('#accounts/models/user').default,
  plan = 'starter',
  interval: 'monthly' | 'yearly' = 'monthly'
) {
  const { Checkout } = await import('#billing/services/checkout')
  const checkout = await app.container.make(Checkout)
  const url = await checkout.subscribe(company, payer, plan, interval)
  return standin.store.completeCheckout(url.split('/').pop()!)
}

export async function buyAndPay(
  standin: StripeStandin,
  company: import('#accounts/models/company').default,
  payer: import('#accounts/models/user').default,
  pack = 'small'
) {
  const { Checkout } = await import('#billing/services/checkout')
  const checkout = await app.container.make(Checkout)
  const url = await checkout.buyPack(company, payer, pack)
  return standin.store.completeCheckout(url.split('/').pop()!)
}

/** The stand-in's recorded events of a type, oldest first. */
export const eventsOf = (standin: StripeStandin, type: string) =>
  standin.store.events.filter((event) => event.type === type)

export async function balanceOf(companyId: number) {
  const { CreditsService } = await import('#credits/services/credits_service')
  const credits = await app.container.make(CreditsService)
  return (await credits.balance(companyId)).balance
}

/** The environment for a `node ace billing:*` child process talking to this stand-in. */
export function aceEnv(standin: StripeStandin, extra: Record<string, string> = {}) {
  return {
    ...baseEnv(sharedServicesEnv()),
    STRIPE_SECRET_KEY: TEST_SECRET_KEY,
    STRIPE_API_BASE: standin.url,
    STRIPE_WEBHOOK_SECRET: 'whsec_unused_by_commands',
    APP_URL: 'http://127.0.0.1:3333',
    PORT: '3333',
    ...extra,
  }
}
