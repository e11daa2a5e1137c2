import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import logger from '@adonisjs/core/services/logger'
import type { QueryClientContract, TransactionClientContract } from '@adonisjs/lucid/types/database'
import { upsertAddingMany } from '#app/helpers/upsert'
import { runMany, selectMany } from '#app/helpers/sqlite_statements'
import { writerSlots } from '#app/helpers/write_slots'
import { chunkSizes, paddedIn } from '#app/helpers/sql_shapes'
import {
  allAnswered,
  beginWith,
  connectionOf,
  copyRows,
  send,
  type PgConnection,
} from '#app/helpers/pg_statements'
import type { CheckedBatch, CleanEvent, Rejection } from '#telemetry/services/batch'
import {
  countReceived,
  forgetInstallation,
  installationLocksPg,
  lockInstallations,
  type InstallationLock,
  resolveInstallation,
  type InstallationRef,
} from '#telemetry/services/installations'
import { countIssues, groupErrors, issueIds } from '#telemetry/services/issue_grouping'
import { IngestQueue, type IngestJob, type Stored } from '#telemetry/services/ingest_queue'
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

const INSERT_CHUNK = 256
const LOOKUP_CHUNK = 1024
const RETRIES = 4
const RETRYABLE = new Set([
  '23505', // PostgreSQL unique violation: another installation sent the same event id
  '40P01', // PostgreSQL deadlock
  '40001', // serialization failure
  'ER_DUP_ENTRY',
  'ER_LOCK_DEADLOCK',
  'SQLITE_CONSTRAINT_UNIQUE',
  /*
  | Not SQLITE_BUSY: it comes after waiting 5 s for another process's write lock (an ace
  | command, a backup); the client is answered 503 E_DATABASE_BUSY with Retry-After instead of
  | being held for several more waits.
  */
])

/* One queue per process: it is what makes concurrent requests share transactions. */
const queue = new IngestQueue(
  {
    group: (jobs) => storeGroup(jobs),
    alone: (job) => storeAlone(job),
    /*
    | SQLite's write lock held by another process past the wait: the batches alone would each
    | wait again, one after the other; every client is answered 503 E_DATABASE_BUSY instead.
    */
    retryAlone: (error) => !String((error as { code?: unknown })?.code).startsWith('SQLITE_BUSY'),
    failed: (error, jobs) =>
      logger.warn(
        { err: error, batches: jobs.length },
        'a group of telemetry batches failed; storing them one by one'
      ),
  },
  writerSlots
)
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
    const resolved = await resolveInstallation(sender.companyId, batch.envelope, now)
    const { ref, stored } = await queue.push({
      ref: resolved,
      sender,
      envelope: batch.envelope,
      events: unique,
      now,
    })
    this.feed.publish(stored.slice(-this.settings.feedSize).map((e) => feedItem(e, batch, ref)))
    return {
      accepted: stored.length,
      duplicates: inBatchDuplicates + unique.length - stored.length,
      rejected: batch.rejected,
    }
  }
}

/* One batch in its own transaction, retried on the errors two writers can cause each other. */
async function storeAlone(job: IngestJob): Promise<Stored> {
  let ref = job.ref
  for (let attempt = 1; ; attempt++) {
    try {
      const [stored] = await storeGroup([{ ...job, ref }])
      return { ref, stored }
    } catch (error) {
      const gone = error instanceof InstallationGone
      if (attempt >= RETRIES || !(gone || RETRYABLE.has((error as { code?: string }).code ?? '')))
        throw gone ? new Error('the installation was deleted while ingesting') : error
      if (gone) forgetInstallation(job.envelope.installationId)
      ref = await resolveInstallation(job.sender.companyId, job.envelope, job.now)
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
  const client = db.connection()
  /* Per installation: its newest batch's envelope, and the last user named in the group. */
  const latest = new Map<number, { job: IngestJob; userId: number | null }>()
  for (const job of jobs) {
    const seen = latest.get(job.ref.id)
    latest.set(job.ref.id, {
      job: !seen || job.now >= seen.job.now ? job : seen.job,
      userId: job.sender.userId ?? seen?.userId ?? null,
    })
  }
  const locks = [...latest.values()].map(({ job, userId }) => ({
    ref: job.ref,
    envelope: job.envelope,
    userId,
    now: job.now,
  }))
  const eventIds = jobs.flatMap((job) => job.events.map((event) => event.id))
  /*
  | PostgreSQL, in a transaction of its own: the installations' lock and the duplicate lookup go
  | out right behind the BEGIN (beginWith), one round trip for the three. Inside another
  | transaction (the tests' global one) the group is a savepoint: sent after it.
  */
  if (client.dialect.name === 'postgres' && !client.isTransaction) {
    const { trx, followed } = await beginWith(client, (connection) =>
      lockAndLookUpPg(connection, client, locks, eventIds)
    )
    try {
      const fresh = await storeIn(trx, jobs, await followed)
      /* Throws when the COMMIT failed (app/helpers/transaction_commits.ts). */
      await trx.commit()
      return fresh
    } catch (error) {
      if (!trx.isCompleted) await trx.rollback().catch(() => {})
      throw error
    }
  }
  return client.transaction(async (trx) => {
    const known =
      trx.dialect.name === 'postgres'
        ? await lockAndLookUpPg(await connectionOf(trx), trx, locks, eventIds)
        : (await lockInstallations(trx, locks)) && (await storedIds(trx, eventIds))
    return storeIn(trx, jobs, known)
  }, readCommitted(client))
}

/* The group's writes once its installations are locked; `known`: the ids already stored (none: an installation is gone). */
async function storeIn(
  trx: TransactionClientContract,
  jobs: IngestJob[],
  known: Set<string> | null | false
): Promise<CleanEvent[][]> {
  if (!known) throw new InstallationGone()
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
  const received = new Map<number, number>()
  for (const { job, events } of stored)
    received.set(job.ref.id, (received.get(job.ref.id) ?? 0) + events.length)
  /*
  | Rows of the installations this transaction has locked, in two tables: on PostgreSQL (its
  | connections pipeline) both statements go out together, one round trip instead of two.
  */
  if (trx.dialect.name === 'postgres') {
    await allAnswered([rollUp(trx, stored), countReceived(trx, received)])
  } else {
    await rollUp(trx, stored)
    await countReceived(trx, received)
  }
  /* Last: the issues' row locks are held only until the commit. */
  await countIssues(trx, issues, ids, jobs.at(-1)!.now)
  return fresh
}

/*
| MySQL's default REPEATABLE READ would read from the snapshot taken at the transaction's first
| read: an issue another transaction creates after it would be invisible here (its INSERT IGNORE
| skipped, its SELECT empty), and its upserts would take gap locks that deadlock neighbouring
| installations. Each statement reads what is committed, like PostgreSQL's default.
*/
function readCommitted(client: { isTransaction: boolean; dialect: { name: string } }) {
  /* Inside a wrapping transaction (the tests' global one) this is a savepoint: no options. */
  return client.dialect.name === 'mysql' && !client.isTransaction
    ? { isolationLevel: 'read committed' as const }
    : undefined
}

function uniqueById(events: CleanEvent[]) {
  const seen = new Set<string>()
  return events.filter((event) => !seen.has(event.id) && seen.add(event.id))
}

/*
| PostgreSQL: the installations' lock and the duplicate lookup sent together (one round trip
| instead of two). PostgreSQL runs them in the order sent, the lookup in its own snapshot taken
| once the locks are held, so it sees every event the locks' previous holders committed.
| Returns null when an installation is gone.
*/
/* One array parameter: one text, prepared once, whatever the group's size. */
const STORED_IDS_PG = 'SELECT event_id FROM telemetry_events WHERE event_id = ANY(?::varchar[])'

async function lockAndLookUpPg(
  connection: PgConnection,
  trx: Pick<QueryClientContract, 'knexRawQuery'>,
  locks: InstallationLock[],
  ids: string[]
): Promise<Set<string> | null> {
  const lock = installationLocksPg(locks)
  const locking = send(connection, trx, lock.text, lock.values)
  let looking: Promise<Array<{ event_id: string }>>
  try {
    looking = send(connection, trx, STORED_IDS_PG, [ids])
  } catch (error) {
    /* Refused before it went out: the lock is awaited, so nothing is in flight at the rollback. */
    await Promise.allSettled([locking])
    throw error
  }
  const [locked, stored] = await allAnswered([locking, looking])
  if (locked.length !== locks.length) return null
  return new Set(stored.map((row) => row.event_id))
}

/* SQLite and MySQL (PostgreSQL: lockAndLookUpPg). */
async function storedIds(trx: TransactionClientContract, ids: string[]) {
  const stored = new Set<string>()
  for (let start = 0; start < ids.length; start += LOOKUP_CHUNK) {
    const { sql, values } = paddedIn(ids.slice(start, start + LOOKUP_CHUNK))
    const rows = await selectMany<{ event_id: string }>(
      trx,
      `SELECT event_id FROM telemetry_events WHERE event_id IN ${sql}`,
      values
    )
    for (const row of rows) stored.add(row.event_id)
  }
  return stored
}

/*
| The events, as multi-row INSERTs written here rather than by the query builder: quoting 15
| columns of every row was the largest cost of ingestion after SQLite itself (CPU profile). On
| PostgreSQL, one COPY per group instead (copyRows): a multi-row VALUES list of 3,840 parameters
| was most of PostgreSQL's work per event, and COPY costs it ~20% less than an INSERT of one
| array per column (ADR 0013).
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
] as const
const INSERT_EVENTS = `INSERT INTO telemetry_events (${COLUMNS.join(', ')}) VALUES `

/*
| The whole text per row count, kept: the statement cache looks statements up by their text, and
| a text joined anew for every chunk (~25 KB at 256 rows) was hashed anew for every lookup.
*/
const insertTexts = new Map<number, string>()
function insertText(rows: number) {
  let text = insertTexts.get(rows)
  if (!text) {
    const tuple = `(${COLUMNS.map(() => '?').join(', ')})`
    text = INSERT_EVENTS + Array.from({ length: rows }, () => tuple).join(', ')
    insertTexts.set(rows, text)
  }
  return text
}

type NewEvents = { job: IngestJob; events: CleanEvent[] }

async function insertEvents(
  trx: TransactionClientContract,
  stored: NewEvents[],
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
  if (trx.dialect.name === 'postgres') {
    /* A group holds at most MAX_EVENTS (5,000) events (ingest_queue.ts): one bounded COPY. */
    await copyRows(trx, 'telemetry_events', COLUMNS, values)
    return
  }
  /*
  | Statements of a few fixed sizes (256, then powers of two), so the SQL texts stay few: SQLite's
  | prepared statements are cached by text, and one text per row count would crowd out the rest.
  */
  let start = 0
  for (const rows of chunkSizes(values.length / width, INSERT_CHUNK)) {
    await runMany(trx, insertText(rows), values.slice(start * width, (start + rows) * width))
    start += rows
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
async function rollUp(trx: TransactionClientContract, stored: NewEvents[]) {
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
