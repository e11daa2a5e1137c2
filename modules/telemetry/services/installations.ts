import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { ApiError } from '#app/exceptions/api_error'
import { affectedRows, rawRows } from '#app/helpers/query_results'
import { prepared } from '#app/helpers/pg_statements'
import { paddedIn } from '#app/helpers/sql_shapes'
import { greatestFunction } from '#app/helpers/sqlite_statements'
import type { Envelope } from '#telemetry/services/batch'

/*
| The installations registry. An installation belongs to the company that first sent its id;
| another company's token gets 403 for it. Known ids are cached per process (the registry only
| grows; a deleted one is noticed when locking it touches no row).
*/
export type InstallationRef = { id: number; companyId: number }

const cache = new Map<string, InstallationRef>()
const CACHE_SIZE = 10_000

export function forgetInstallation(uuid: string) {
  cache.delete(uuid)
}

export async function resolveInstallation(
  companyId: number,
  envelope: Envelope,
  now: number
): Promise<InstallationRef> {
  let ref = cache.get(envelope.installationId) ?? (await find(envelope.installationId))
  if (!ref) {
    await db
      .knexQuery()
      .table('telemetry_installations')
      .insert({
        uuid: envelope.installationId,
        company_id: companyId,
        app_version: envelope.appVersion,
        platform: envelope.platform,
        os_version: envelope.osVersion,
        locale: envelope.locale,
        first_seen_at: now,
        last_seen_at: now,
      })
      .onConflict('uuid')
      .ignore()
    ref = await find(envelope.installationId)
  }
  if (!ref) throw new Error(`installation ${envelope.installationId} vanished while registering`)
  if (ref.companyId !== companyId)
    throw ApiError.forbidden(
      'This installation id is registered to another company',
      'E_INSTALLATION_FORBIDDEN'
    )
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!)
  cache.set(envelope.installationId, ref)
  return ref
}

async function find(uuid: string): Promise<InstallationRef | undefined> {
  const row = await db
    .from('telemetry_installations')
    .where('uuid', uuid)
    .select('id', 'company_id')
    .first()
  return row ? { id: Number(row.id), companyId: Number(row.company_id) } : undefined
}

/*
| First statement of every ingest transaction: this UPDATE is the installation's lock (row lock
| on PostgreSQL and MariaDB, the write lock on SQLite), so two batches of one installation never
| decide "new or duplicate" at the same time. Returns false when the row is gone.
*/
export async function lockInstallation(
  trx: TransactionClientContract,
  ref: InstallationRef,
  envelope: Envelope,
  userId: number | null,
  now: number
) {
  /* Batches may commit out of order (retries, other processes): last seen never goes back. */
  const greatest = greatestFunction(trx.dialect.name)
  const changes: Record<string, unknown> = {
    app_version: envelope.appVersion,
    platform: envelope.platform,
    last_seen_at: trx.raw(`${greatest}(last_seen_at, ?)`, [now]),
  }
  if (envelope.osVersion) changes.os_version = envelope.osVersion
  if (envelope.locale) changes.locale = envelope.locale
  if (userId) changes.last_user_id = userId
  const result = await trx.from('telemetry_installations').where('id', ref.id).update(changes)
  return affectedRows(result) > 0
}

export type InstallationLock = {
  ref: InstallationRef
  envelope: Envelope
  userId: number | null
  now: number
}

/*
| The installations of a group, locked in ascending id order (two groups never wait on each other
| in a cycle). Returns false when one of them is gone. On PostgreSQL one statement locks and
| updates them all (the rows locked in order by a materialized SELECT … FOR UPDATE, as the
| credits ledger locks its accounts, ADR 0013): a group of batches from seven installations sent
| seven UPDATEs, each a round trip. Elsewhere one lockInstallation per installation.
*/
export async function lockInstallations(trx: TransactionClientContract, locks: InstallationLock[]) {
  const sorted = [...locks].sort((a, b) => a.ref.id - b.ref.id)
  if (trx.dialect.name !== 'postgres' || sorted.length < 2) {
    for (const { ref, envelope, userId, now } of sorted) {
      if (!(await lockInstallation(trx, ref, envelope, userId, now))) return false
    }
    return true
  }
  const { text, values } = installationLocksPg(sorted)
  const rows = rawRows<{ id: number | string }>(await prepared(trx.rawQuery(text, values)))
  return rows.length === sorted.length
}

/*
| PostgreSQL: the statement that locks and updates the installations (any number, one row back
| per installation still there), for a caller that sends it itself (ingest.ts sends the
| duplicate lookup right behind it).
*/
export function installationLocksPg(locks: InstallationLock[]) {
  const sorted = [...locks].sort((a, b) => a.ref.id - b.ref.id)
  /* Arrays bind as PostgreSQL arrays; knex's types do not say so. */
  const values: any[] = [
    sorted.map((lock) => lock.ref.id),
    sorted.map((lock) => lock.ref.id),
    sorted.map((lock) => lock.envelope.appVersion),
    sorted.map((lock) => lock.envelope.platform),
    sorted.map((lock) => lock.now),
    sorted.map((lock) => lock.envelope.osVersion || null),
    sorted.map((lock) => lock.envelope.locale || null),
    sorted.map((lock) => lock.userId || null),
  ]
  return { text: LOCK_INSTALLATIONS_PG, values }
}

/* What lockInstallation changes, for many rows: a missing os version, locale or user keeps the old. */
const LOCK_INSTALLATIONS_PG =
  'WITH locked AS MATERIALIZED (SELECT id FROM telemetry_installations WHERE id = ANY(?::int[]) ORDER BY id FOR UPDATE) ' +
  'UPDATE telemetry_installations AS t SET app_version = c.app_version, platform = c.platform, ' +
  'last_seen_at = GREATEST(t.last_seen_at, c.seen), os_version = COALESCE(c.os_version, t.os_version), ' +
  'locale = COALESCE(c.locale, t.locale), last_user_id = COALESCE(c.user_id, t.last_user_id) ' +
  'FROM locked JOIN unnest(?::int[], ?::varchar[], ?::varchar[], ?::bigint[], ?::varchar[], ?::varchar[], ?::int[]) ' +
  'AS c(id, app_version, platform, seen, os_version, locale, user_id) ON c.id = locked.id ' +
  'WHERE t.id = locked.id RETURNING t.id'

/* Adds each installation's new events to its count, in one statement (IN list padded). */
export async function countReceived(trx: TransactionClientContract, counts: Map<number, number>) {
  const entries = [...counts].filter(([, count]) => count > 0)
  if (!entries.length) return
  const ids = paddedIn(entries.map(([id]) => id))
  const cases = ids.values.map(() => 'WHEN ? THEN ?').join(' ')
  const pairs = ids.values.flatMap((id) => [id, counts.get(id)!])
  await trx.rawQuery(
    `UPDATE telemetry_installations SET events_received = events_received + CASE id ${cases} ELSE 0 END WHERE id IN ${ids.sql}`,
    [...pairs, ...ids.values]
  )
}
