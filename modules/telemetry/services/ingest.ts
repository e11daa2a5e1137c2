import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { upsertAddingMany } from '#app/helpers/upsert'
import { rawRows } from '#app/helpers/query_results'
import type { CheckedBatch, CleanEvent, Envelope, Rejection } from '#telemetry/services/batch'
import {
  countReceived,
  forgetInstallation,
  lockInstallation,
  resolveInstallation,
  type InstallationRef,
} from '#telemetry/services/installations'
import { countIssues, groupErrors, issueIds } from '#telemetry/services/issue_grouping'
import { IngestQueue, type IngestJob } from '#telemetry/services/ingest_queue'
import { LiveFeed, type FeedItem } from '#telemetry/services/live_feed'
import { TelemetrySettings } from '#telemetry/services/telemetry_settings'

/*
| Stores checked batches: new events, their issues, the installations' daily rollups and registry
| rows, in one transaction. The answer is given after the commit, so every accepted event is
| durable; an event id already stored is a duplicate and is not stored again.
|
| Batches arriving together share a transaction (group commit, ingest_queue.ts): one commit, one
| duplicate lookup, one multi-row insert for all of them. Ingestion is idempotent by event id, so
| a group that fails for any reason (a deadlock, a deleted installation, even a COMMIT whose
| outcome is unknown) is simply stored again batch by batch, each with its own retries.
*/
export type IngestResult = { accepted: number; duplicates: number; rejected: Rejection[] }
export type Sender = { companyId: number; userId: number | null }

const INSERT_CHUNK = 250
const LOOKUP_CHUNK = 1000
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

/* One queue per process: it is what makes concurrent requests share transactions. */
const queue = new IngestQueue((jobs) => storeGroup(jobs))
export const ingestStats = () => ({ ...queue.stats })

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
    let ref = await resolveInstallation(sender.companyId, batch.envelope, now)
    let stored: CleanEvent[]
    try {
      stored = await queue.push({ ref, sender, envelope: batch.envelope, events: unique, now })
    } catch (error) {
      if (!IngestQueue.failedGroup(error)) throw error
      ;({ ref, stored } = await this.#alone(sender, batch.envelope, unique, now))
    }
    this.feed.publish(stored.slice(-this.settings.feedSize).map((e) => feedItem(e, batch, ref)))
    return {
      accepted: stored.length,
      duplicates: inBatchDuplicates + unique.length - stored.length,
      rejected: batch.rejected,
    }
  }

  /* One batch in its own transaction, retried on the errors two writers can cause each other. */
  async #alone(sender: Sender, envelope: Envelope, events: CleanEvent[], now: number) {
    for (let attempt = 1; ; attempt++) {
      const ref = await resolveInstallation(sender.companyId, envelope, now)
      try {
        const [stored] = await storeGroup([{ ref, sender, envelope, events, now }])
        return { ref, stored }
      } catch (error) {
        if (error instanceof InstallationGone) {
          forgetInstallation(envelope.installationId)
          if (attempt < RETRIES) continue
          throw new Error('the installation was deleted while ingesting')
        }
        if (attempt >= RETRIES || !RETRYABLE.has((error as { code?: string }).code ?? ''))
          throw error
      }
    }
  }
}

class InstallationGone extends Error {}

/*
| The transaction for a group of batches (one batch is a group of one). Installations are locked
| first, in id order (their UPDATE is the lock: two transactions never decide "new or duplicate"
| for one installation at once), then issues in fingerprint order. Returns each batch's stored
| (new) events.
*/
async function storeGroup(jobs: IngestJob[]): Promise<CleanEvent[][]> {
  return db.transaction(async (trx) => {
    const last = new Map<number, IngestJob>()
    for (const job of jobs) last.set(job.ref.id, job)
    const installations = [...last.values()].sort((a, b) => a.ref.id - b.ref.id)
    for (const job of installations) {
      if (!(await lockInstallation(trx, job.ref, job.envelope, job.sender.userId, job.now)))
        throw new InstallationGone()
    }

    const known = await storedIds(
      trx,
      jobs.flatMap((job) => job.events.map((event) => event.id))
    )
    /* An id sent twice in one group (a retry racing its original) is stored for the first. */
    const fresh = jobs.map((job) =>
      job.events.filter((event) => !known.has(event.id) && (known.add(event.id), true))
    )
    const withNew = fresh.flatMap((events, index) => (events.length ? [index] : []))
    if (!withNew.length) return fresh

    const issues = groupErrors(
      withNew.map((index) => ({
        installationId: jobs[index].ref.id,
        appVersion: jobs[index].envelope.appVersion,
        events: fresh[index],
      }))
    )
    const { issueOf, ids } = await issueIds(trx, issues)
    const stored = withNew.map((index) => ({ job: jobs[index], events: fresh[index] }))
    await insertEvents(trx, stored, issueOf)
    await rollUp(trx, stored)
    const received = new Map<number, number>()
    for (const { job, events } of stored)
      received.set(job.ref.id, (received.get(job.ref.id) ?? 0) + events.length)
    await countReceived(trx, received)
    /* Last: the issues' row locks are held only until the commit. */
    await countIssues(trx, issues, ids, jobs.at(-1)!.now)
    return fresh
  })
}

function uniqueById(events: CleanEvent[]) {
  const seen = new Set<string>()
  return events.filter((event) => !seen.has(event.id) && seen.add(event.id))
}

async function storedIds(trx: TransactionClientContract, ids: string[]) {
  const stored = new Set<string>()
  for (let start = 0; start < ids.length; start += LOOKUP_CHUNK) {
    const chunk = ids.slice(start, start + LOOKUP_CHUNK)
    const rows = rawRows<{ event_id: string }>(
      await trx.rawQuery(
        `SELECT event_id FROM telemetry_events WHERE event_id IN (${placeholders(chunk.length, 1)})`,
        chunk
      )
    )
    for (const row of rows) stored.add(row.event_id)
  }
  return stored
}

/*
| The events, as multi-row INSERTs written here rather than by the query builder: quoting 15
| columns of every row was the largest cost of ingestion after SQLite itself (CPU profile).
*/
const COLUMNS = [
  'event_id',
  'company_id',
  'installation_id',
  'type',
  'name',
  'level',
  'message',
  'props',
  'session_id',
  'stack',
  'app_version',
  'platform',
  'issue_id',
  'occurred_at',
  'received_at',
]
const INSERT_EVENTS = `INSERT INTO telemetry_events (${COLUMNS.join(', ')}) VALUES `

const tuples = new Map<string, string>()
function placeholders(rows: number, width: number) {
  const key = `${rows}x${width}`
  let text = tuples.get(key)
  if (!text) {
    const tuple = width === 1 ? '?' : `(${Array.from({ length: width }, () => '?').join(', ')})`
    text = Array.from({ length: rows }, () => tuple).join(', ')
    if (tuples.size > 2000) tuples.clear()
    tuples.set(key, text)
  }
  return text
}

type Stored = { job: IngestJob; events: CleanEvent[] }

async function insertEvents(
  trx: TransactionClientContract,
  stored: Stored[],
  issueOf: Map<string, number>
) {
  const values: unknown[] = []
  for (const { job, events } of stored) {
    for (const event of events)
      values.push(
        event.id,
        job.ref.companyId,
        job.ref.id,
        event.type,
        event.name,
        event.level,
        event.message,
        event.props ? JSON.stringify(event.props) : null,
        event.sessionId,
        event.stack,
        job.envelope.appVersion,
        job.envelope.platform,
        issueOf.get(event.id) ?? null,
        event.timestamp,
        job.now
      )
  }
  const width = COLUMNS.length
  const total = values.length / width
  for (let start = 0; start < total; start += INSERT_CHUNK) {
    const rows = Math.min(INSERT_CHUNK, total - start)
    await trx.rawQuery(
      INSERT_EVENTS + placeholders(rows, width),
      values.slice(start * width, (start + rows) * width) as any[]
    )
  }
}

const DAY_MS = 86_400_000
const days = new Map<number, string>()
/** The UTC day of a timestamp, `YYYY-MM-DD`. */
export const dayOf = (ms: number) => {
  const index = Math.floor(ms / DAY_MS)
  let day = days.get(index)
  if (!day) {
    day = new Date(index * DAY_MS).toISOString().slice(0, 10)
    if (days.size > 1000) days.clear()
    days.set(index, day)
  }
  return day
}

/* The daily rollup the charts read: one row per installation, day and version. */
async function rollUp(trx: TransactionClientContract, stored: Stored[]) {
  const rows = new Map<string, Record<string, any>>()
  for (const { job, events } of stored) {
    for (const event of events) {
      const day = dayOf(event.timestamp)
      const key = `${job.ref.id}|${day}|${job.envelope.appVersion}`
      let row = rows.get(key)
      if (!row) {
        row = {
          installation_id: job.ref.id,
          day,
          app_version: job.envelope.appVersion,
          company_id: job.ref.companyId,
          platform: job.envelope.platform,
          events: 0,
          logs: 0,
          errors: 0,
        }
        rows.set(key, row)
      }
      row.events++
      if (event.type === 'log') row.logs++
      if (event.type === 'error') row.errors++
    }
  }
  await upsertAddingMany(trx, {
    table: 'telemetry_installation_days',
    keys: ['installation_id', 'day', 'app_version'],
    rows: [...rows.values()],
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
