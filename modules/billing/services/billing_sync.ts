import { inject } from '@adonisjs/core'
import { StripeGateway } from '#billing/services/stripe_gateway'
import { WebhookEvents } from '#billing/services/webhook_events'
import { HANDLED_EVENTS } from '#billing/services/event_handlers'

export type SyncReport = {
  since: string
  events: number
  applied: number
  ignored: number
  alreadyApplied: number
  failed: Array<{ id: string; type: string; error: string }>
}

/*
| Webhook outage recovery: lists Stripe's events since a moment, oldest first, and puts each one
| through the same store-once-and-claim path as a delivery. Events already applied are skipped,
| so running it twice changes nothing.
*/
@inject()
export class BillingSync {
  constructor(
    private gateway: StripeGateway,
    private events: WebhookEvents
  ) {}

  async run(sinceMs: number, progress: (done: number, total: number) => void = () => {}) {
    const events = await this.gateway.eventsSince(Math.floor(sinceMs / 1000), [...HANDLED_EVENTS])
    const report: SyncReport = {
      since: new Date(sinceMs).toISOString(),
      events: events.length,
      applied: 0,
      ignored: 0,
      alreadyApplied: 0,
      failed: [],
    }
    for (const [index, event] of events.entries()) {
      await this.events.record(event, JSON.stringify(event), 'sync')
      try {
        const outcome = await this.events.process(event)
        if (outcome === 'applied') report.applied++
        else if (outcome === 'ignored') report.ignored++
        else report.alreadyApplied++
      } catch (error) {
        report.failed.push({ id: event.id, type: event.type, error: (error as Error).message })
      }
      progress(index + 1, events.length)
    }
    return report
  }
}

/** `--since`: `36h`, `3d`, `90m`, an ISO date, or unix seconds. */
export function parseSince(value: string | undefined, now = Date.now()) {
  if (!value) return now - 3 * 86_400_000
  const relative = /^(\d+)([mhd])$/.exec(value)
  if (relative)
    return (
      now - Number(relative[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[relative[2] as 'm']!
    )
  if (/^\d{9,10}$/.test(value)) return Number(value) * 1000
  const date = Date.parse(value)
  if (Number.isNaN(date))
    throw new Error(`--since: "${value}" is not 36h, 3d, 90m, a date or unix seconds`)
  return date
}
