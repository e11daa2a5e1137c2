import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { upsertAdding } from '#app/helpers/upsert'
import type { CheckedBatch, CleanEvent, Envelope, Rejection } from '#telemetry/services/batch'
import {
  countReceived,
  forgetInstallation,
  lockInstallation,
  resolveInstallation,
  type InstallationRef,
} from '#telemetry/services/installations'
import { groupErrors, recordIssues } from '#telemetry/services/issue_grouping'
import { LiveFeed, type FeedItem } from '#telemetry/services/live_feed'
import { TelemetrySettings } from '#telemetry/services/telemetry_settings'

/*
| Stores a checked batch in one transaction: new events, their issues, the installation's
| daily rollup and its registry row. The answer is given after the commit, so every accepted
| event is durable; an event id already stored is a duplicate and is not stored again.
*/
export type IngestResult = { accepted: number; duplicates: number; rejected: Rejection[] }
export type Sender = { companyId: number; userId: number | null }

const INSERT_CHUNK = 250
const RETRIES = 4
const RETRYABLE = new Set([
  '23505', // PostgreSQL unique violation: another installation sent the same event id
  '40P01', // PostgreSQL deadlock
  '40001', // serialization failure
  'ER_DUP_ENTRY',
  'ER_LOCK_DEADLOCK',
  'SQLITE_CONSTRAINT_UNIQUE',
  'SQLITE_BUSY',
])

@inject()
export class TelemetryIngest {
  constructor(
    private settings: TelemetrySettings,
    private feed: LiveFeed
  ) {}

  async ingest(sender: Sender, batch: CheckedBatch): Promise<IngestResult> {
    const now = this.settings.now()
    const unique = uniqueById(batch.events)
    const inBatchDuplicates = batch.events.length - unique.length
    let stored: CleanEvent[] = []
    let ref: InstallationRef | undefined
    for (let attempt = 1; ; attempt++) {
      ref = await resolveInstallation(sender.companyId, batch.envelope, now)
      try {
        const outcome = await this.#store(ref, sender, batch.envelope, unique, now)
        if (outcome === 'gone') {
          forgetInstallation(batch.envelope.installationId)
          if (attempt < RETRIES) continue
          throw new Error('the installation was deleted while ingesting')
        }
        stored = outcome
        break
      } catch (error) {
        if (attempt >= RETRIES || !RETRYABLE.has((error as { code?: string }).code ?? ''))
          throw error
      }
    }
    this.feed.publish(stored.slice(-this.settings.feedSize).map((e) => feedItem(e, batch, ref!)))
    return {
      accepted: stored.length,
      duplicates: inBatchDuplicates + unique.length - stored.length,
      rejected: batch.rejected,
    }
  }

  #store(
    ref: InstallationRef,
    sender: Sender,
    envelope: Envelope,
    events: CleanEvent[],
    now: number
  ) {
    return db.transaction(async (trx) => {
      if (!(await lockInstallation(trx, ref, envelope, sender.userId, now))) return 'gone' as const
      const fresh = await withoutStored(trx, events)
      if (!fresh.length) return fresh
      const issueOf = await recordIssues(trx, groupErrors(fresh), {
        installationId: ref.id,
        appVersion: envelope.appVersion,
        now,
      })
      await insertEvents(trx, fresh, { ref, envelope, issueOf, now })
      await rollUp(trx, fresh, ref, envelope)
      await countReceived(trx, ref.id, fresh.length)
      return fresh
    })
  }
}

function uniqueById(events: CleanEvent[]) {
  const seen = new Set<string>()
  return events.filter((event) => !seen.has(event.id) && seen.add(event.id))
}

async function withoutStored(trx: TransactionClientContract, events: CleanEvent[]) {
  if (!events.length) return events
  const rows = await trx
    .from('telemetry_events')
    .whereIn(
      'event_id',
      events.map((event) => event.id)
    )
    .select('event_id')
  const stored = new Set(rows.map((row: { event_id: string }) => row.event_id))
  return stored.size ? events.filter((event) => !stored.has(event.id)) : events
}

type RowContext = {
  ref: InstallationRef
  envelope: Envelope
  issueOf: Map<string, number>
  now: number
}

async function insertEvents(trx: TransactionClientContract, events: CleanEvent[], c: RowContext) {
  const rows = events.map((event) => ({
    event_id: event.id,
    company_id: c.ref.companyId,
    installation_id: c.ref.id,
    type: event.type,
    name: event.name,
    level: event.level,
    message: event.message,
    props: event.props ? JSON.stringify(event.props) : null,
    session_id: event.sessionId,
    stack: event.stack,
    app_version: c.envelope.appVersion,
    platform: c.envelope.platform,
    issue_id: c.issueOf.get(event.id) ?? null,
    occurred_at: event.timestamp,
    received_at: c.now,
  }))
  for (let start = 0; start < rows.length; start += INSERT_CHUNK)
    await trx.table('telemetry_events').multiInsert(rows.slice(start, start + INSERT_CHUNK))
}

export const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10)

async function rollUp(
  trx: TransactionClientContract,
  events: CleanEvent[],
  ref: InstallationRef,
  envelope: Envelope
) {
  const days = new Map<string, { events: number; logs: number; errors: number }>()
  for (const event of events) {
    const day = dayOf(event.timestamp)
    const counts = days.get(day) ?? { events: 0, logs: 0, errors: 0 }
    counts.events++
    if (event.type === 'log') counts.logs++
    if (event.type === 'error') counts.errors++
    days.set(day, counts)
  }
  for (const [day, counts] of days)
    await upsertAdding(trx, {
      table: 'telemetry_installation_days',
      keys: ['installation_id', 'day', 'app_version'],
      row: {
        installation_id: ref.id,
        day,
        app_version: envelope.appVersion,
        company_id: ref.companyId,
        platform: envelope.platform,
        ...counts,
      },
      add: ['events', 'logs', 'errors'],
    })
}

function feedItem(event: CleanEvent, batch: CheckedBatch, ref: InstallationRef): FeedItem {
  return {
    id: event.id,
    type: event.type,
    name: event.name,
    level: event.level,
    message: event.message?.slice(0, 200) ?? null,
    installationId: batch.envelope.installationId,
    companyId: ref.companyId,
    appVersion: batch.envelope.appVersion,
    platform: batch.envelope.platform,
    timestamp: event.timestamp,
  }
}
