import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/* Creates the webhook endpoint in Stripe for this app, subscribed to the events it handles. */
export default class BillingWebhookCommand extends BaseCommand {
  static commandName = 'billing:webhook'
  static description =
    'Create the Stripe webhook endpoint for APP_URL/webhooks/stripe and print its secret'
  static options: CommandOptions = { startApp: true }

  @flags.string({ description: 'The endpoint URL (default: APP_URL/webhooks/stripe)' })
  declare url?: string

  async run() {
    const { StripeGateway } = await import('#billing/services/stripe_gateway')
    const { BillingSettings } = await import('#billing/services/billing_settings')
    const { HANDLED_EVENTS } = await import('#billing/services/event_handlers')
    const settings = await this.app.container.make(BillingSettings)
    const gateway = await this.app.container.make(StripeGateway)
    const url = this.url ?? `${settings.appUrl}/webhooks/stripe`
    if (!url.startsWith('https://') && !settings.standin)
      this.logger.warning('Stripe only delivers live-mode events to https:// endpoints')
    const endpoints = await gateway.webhookEndpoints()
    const existing = endpoints.find((endpoint) => endpoint.url === url)
    if (existing) {
      this.logger.info(`Stripe already has endpoint ${existing.id} for ${url}: nothing created`)
      this.logger.log('Its signing secret is in the Stripe dashboard (Developers → Webhooks).')
      return
    }
    const endpoint = await gateway.createWebhookEndpoint(url, [...HANDLED_EVENTS])
    this.logger.success(
      `Webhook endpoint ${endpoint.id} → ${endpoint.url} (${HANDLED_EVENTS.length} events)`
    )
    this.logger.log(
      `Set STRIPE_WEBHOOK_SECRET=${endpoint.secret} in the environment, then restart.`
    )
  }
}
