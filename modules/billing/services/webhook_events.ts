import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type Stripe from 'stripe'
import { BillingSettings } from '#billing/services/billing_settings'
import { EventHandlers } from '#billing/services/event_handlers'
import { affectedRows } from '#app/helpers/query_results'

/* A claim older than this is taken over (its process died mid-way). */
const STALE_CLAIM_MS = 60_000

export type Processed = 'applied' | 'ignored' | 'duplicate'

/*
| Each Stripe event is stored once (its id is the primary key), then claimed by one process
| with a conditional UPDATE, applied, and marked. A redelivery of a finished event, or one
| arriving while another process applies it, changes nothing. A failed one is marked `failed`
| and applied again by Stripe's next delivery or by `billing:sync`.
*/
@inject()
export class WebhookEvents {
  constructor(
    private settings: BillingSettings,
    private handlers: EventHandlers
  ) {}

  async record(event: Stripe.Event, payload: string, source: 'webhook' | 'sync') {
    await db
      .insertQuery()
      .table('billing_events')
      .insert({
        id: event.id,
        type: event.type,
        stripe_created: event.created,
        status: 'received',
        payload,
        source,
        received_at: this.settings.now(),
      })
      .onConflict('id')
      .ignore()
  }

  async process(event: Stripe.Event): Promise<Processed> {
    const now = this.settings.now()
    const claimed = affectedRows(
      await db
        .from('billing_events')
        .where('id', event.id)
        .where((query) =>
          query
            .whereIn('status', ['received', 'failed'])
            .orWhere((stale) =>
              stale.where('status', 'processing').where('claimed_at', '<', now - STALE_CLAIM_MS)
            )
        )
        .update({ status: 'processing', claimed_at: now, attempts: db.raw('attempts + 1') })
    )
    if (!claimed) return 'duplicate'
    try {
      const outcome = await this.handlers.apply(event)
      await this.#finish(event.id, outcome === 'ignored' ? 'ignored' : 'processed', null)
      return outcome
    } catch (error) {
      await this.#finish(event.id, 'failed', (error as Error).message ?? String(error))
      throw error
    }
  }

  async #finish(id: string, status: string, error: string | null) {
    await db
      .from('billing_events')
      .where('id', id)
      .update({ status, error: error?.slice(0, 2000) ?? null, processed_at: this.settings.now() })
  }
}
