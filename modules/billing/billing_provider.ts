import { resolve } from 'node:path'
import type { HttpContext } from '@adonisjs/core/http'
import { ModuleProvider, type NavigationEntry } from '#app/modules/module_provider'
import { can, grant, type Role } from '#accounts/services/roles'
import { BillingSettings } from '#billing/services/billing_settings'
import { StripeGateway } from '#billing/services/stripe_gateway'
import type { StripeStandin } from '#billing/standin/stripe_standin'
import openapi from '#billing/openapi'

/*
| Billing: Stripe subscriptions and credit packs paid by the company, the customer portal, and
| webhooks applied exactly once (docs/adr/0010-billing.md). In local mode the web process also
| runs the Stripe stand-in, so the whole purchase flow works offline.
*/
export default class BillingProvider extends ModuleProvider {
  routes = () => import('#billing/routes')
  #standin?: StripeStandin

  navigation = [
    {
      section: 'company' as const,
      label: 'Billing',
      route: 'billing.billing.show',
      icon: 'card',
      order: 25,
      visible: (_ctx: HttpContext, company) => can(company?.role as Role, 'billing:manage'),
    },
  ] as NavigationEntry[]

  register() {
    this.app.container.singleton(BillingSettings, () => new BillingSettings())
    this.app.container.singleton(
      StripeGateway,
      async (resolver) => new StripeGateway(await resolver.make(BillingSettings))
    )
    grant('billing:manage', ['owner', 'admin'])
  }

  async ready() {
    const settings = await this.app.container.make(BillingSettings)
    if (!settings.standin || this.app.getEnvironment() !== 'web') return
    const { StripeStandin } = await import('#billing/standin/stripe_standin')
    const { configuredPrices } = await import('#billing/standin/catalog')
    this.#standin = new StripeStandin({
      secretKey: settings.secretKey,
      prices: configuredPrices(),
      port: settings.standinPort,
      /* The folder the app runs from, like SQLite's file: build/ is replaced by every build. */
      stateFile: resolve(process.cwd(), 'storage', 'stripe-standin.json'),
    })
    await this.#standin.start()
    this.#standin.addEndpoint(`${settings.appUrl}/webhooks/stripe`, settings.webhookSecret)
    const logger = await this.app.container.make('logger')
    logger.info(`Stripe stand-in on ${this.#standin.url} (local mode: no real payment)`)
  }

  async shutdown() {
    await this.#standin?.stop()
  }

  openapi() {
    return openapi
  }
}
