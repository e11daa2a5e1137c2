import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { StripeGateway } from '#billing/services/stripe_gateway'
import { WebhookEvents } from '#billing/services/webhook_events'
import { rawBody } from '#billing/services/raw_body'

/*
| POST /webhooks/stripe: the signature is checked over the raw body (400, nothing stored, when
| it is wrong or older than 300 s), the event is stored once and applied in this request. 200
| tells Stripe to stop; a failure answers 500 and Stripe delivers again.
*/
@inject()
export default class StripeController {
  constructor(
    private gateway: StripeGateway,
    private events: WebhookEvents
  ) {}

  async store({ request, response }: HttpContext) {
    const body = await rawBody(request.request)
    const event = this.gateway.verify(body, request.header('stripe-signature'))
    await this.events.record(event, body.toString('utf8'), 'webhook')
    const outcome = await this.events.process(event)
    return response.ok({ received: true, outcome })
  }
}
