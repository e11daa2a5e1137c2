import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { upsertAddingMany } from '#app/helpers/upsert'
import { rawRows } from '#app/helpers/query_results'
import { paddedIn } from '#app/helpers/sql_shapes'
import { greatestFunction } from '#app/helpers/sqlite_statements'
import type { CleanEvent } from '#telemetry/services/batch'
import { fingerprint } from '#telemetry/services/fingerprint'
import { isNewer } from '#telemetry/services/versions'

/*
| Error events become issues inside the ingest transaction. One transaction may hold several
| batches (group commit, see ingest.ts), so errors are grouped by fingerprint across all of them,
| and issues are locked in fingerprint order, after the installations: two transactions sharing
| errors cannot deadlock.
| A resolved issue seen again in a version newer than the one it was resolved in reopens as a
| regression; ignored stays ignored.
*/

/** One batch's new error events, with where they came from. */
export type ErrorSource = { installationId: number; appVersion: string; events: CleanEvent[] }

type Part = { installationId: number; appVersion: string; events: CleanEvent[] }
type Issue = { fingerprint: string; culprit: string | null; parts: Part[] }

export function groupErrors(sources: ErrorSource[]): Issue[] {
  const issues = new Map<string, Issue>()
  const parts = new Map<string, Part>()
  for (const source of sources) {
    for (const event of source.events) {
      if (event.type !== 'error') continue
      const print = fingerprint(event.name, event.message, event.stack)
      let issue = issues.get(print.fingerprint)
      if (!issue) {
        issue = { ...print, parts: [] }
        issues.set(print.fingerprint, issue)
      }
      const key = `${print.fingerprint}|${source.installationId}|${source.appVersion}`
      let part = parts.get(key)
      if (!part) {
        part = { installationId: source.installationId, appVersion: source.appVersion, events: [] }
        issue.parts.push(part)
        parts.set(key, part)
      }
      part.events.push(event)
    }
  }
  return [...issues.values()].sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : 1))
}

/*
| Two steps, so the issues' rows are locked only at the end of the transaction: an issue shared by
| every installation (one crash everywhere) would otherwise serialize all ingestion on its row.
| `issueIds` finds each issue's id with a plain read (no lock, no wait), creating the issues not
| seen before (only that waits, for another transaction creating the same one, until it ends);
| `countIssues`, the transaction's last statements, locks the rows in fingerprint order and adds
| the counts.
*/
export async function issueIds(trx: TransactionClientContract, issues: Issue[]) {
  const issueOf = new Map<string, number>()
  const ids = new Map<string, number>()
  for (const issue of issues) {
    const issueId = (await findIssue(trx, issue.fingerprint)) ?? (await createIssue(trx, issue))
    ids.set(issue.fingerprint, issueId)
    for (const part of issue.parts) for (const event of part.events) issueOf.set(event.id, issueId)
  }
  return { issueOf, ids }
}

async function findIssue(trx: TransactionClientContract, print: string) {
  const row = await trx.from('telemetry_issues').where('fingerprint', print).select('id').first()
  return row ? Number(row.id) : undefined
}

async function createIssue(trx: TransactionClientContract, issue: Issue) {
  const events = issue.parts.flatMap((part) => part.events)
  const times = events.map((event) => event.timestamp)
  await trx
    .knexQuery()
    .table('telemetry_issues')
    .insert({
      fingerprint: issue.fingerprint,
      name: events[0].name.slice(0, 200),
      message: (events[0].message ?? '').slice(0, 1000),
      culprit: issue.culprit,
      status: 'open',
      first_version: issue.parts[0].appVersion,
      last_version: issue.parts[0].appVersion,
      first_seen_at: Math.min(...times),
      last_seen_at: Math.max(...times),
    })
    .onConflict('fingerprint')
    .ignore()
  const id = await findIssue(trx, issue.fingerprint)
  /* Not expected with read-committed reads; a retryable code sends the batch round again. */
  if (id === undefined)
    throw Object.assign(new Error(`issue ${issue.fingerprint} vanished while ingesting`), {
      code: '40001',
    })
  return id
}

export async function countIssues(
  trx: TransactionClientContract,
  issues: Issue[],
  ids: Map<string, number>,
  now: number
) {
  for (const issue of issues) await countIssue(trx, issue, ids.get(issue.fingerprint)!, now)
}

async function countIssue(
  trx: TransactionClientContract,
  issue: Issue,
  issueId: number,
  now: number
) {
  const events = issue.parts.flatMap((part) => part.events)
  const seen = Math.max(...events.map((event) => event.timestamp))
  const versions = new Map<string, { count: number; seen: number }>()
  for (const part of issue.parts) {
    const version = versions.get(part.appVersion) ?? { count: 0, seen: 0 }
    version.count += part.events.length
    version.seen = Math.max(version.seen, ...part.events.map((event) => event.timestamp))
    versions.set(part.appVersion, version)
  }
  /* Installations are locked by the transaction, so "first time for this one" cannot race. */
  const installations = [...new Set(issue.parts.map((part) => part.installationId))]
  const list = paddedIn(installations)
  const known = new Set(
    rawRows<{ installation_id: number | string }>(
      await trx.rawQuery(
        `SELECT installation_id FROM telemetry_issue_installations WHERE issue_id = ? AND installation_id IN ${list.sql}`,
        [issueId, ...list.values]
      )
    ).map((found) => Number(found.installation_id))
  )
  const firstTime = installations.filter((id) => !known.has(id))
  if (firstTime.length)
    await trx.table('telemetry_issue_installations').multiInsert(
      firstTime.map((installationId) => ({
        issue_id: issueId,
        installation_id: installationId,
        first_seen_at: now,
      }))
    )

  /*
  | The issue's row lock is taken here, by the counting UPDATE itself (it returns the row as it
  | now stands on PostgreSQL and SQLite; MySQL has no UPDATE … RETURNING, so it reads the row
  | FOR UPDATE first). The version and the status change in a second UPDATE, only when they do.
  */
  const dialect = trx.dialect.name
  const greatest = greatestFunction(dialect)
  const counting = `UPDATE telemetry_issues SET events_count = events_count + ?, installations_count = installations_count + ?, last_seen_at = ${greatest}(last_seen_at, ?) WHERE id = ?`
  const bindings = [events.length, firstTime.length, seen, issueId]
  let row: { status: string; resolved_version: string | null; last_version: string }
  if (dialect === 'mysql') {
    row = await trx
      .from('telemetry_issues')
      .where('id', issueId)
      .select('status', 'resolved_version', 'last_version')
      .forUpdate()
      .first()
    await trx.rawQuery(counting, bindings)
  } else {
    ;[row] = rawRows<typeof row>(
      await trx.rawQuery(`${counting} RETURNING status, resolved_version, last_version`, bindings)
    )
  }
  const regression =
    row.status === 'resolved' &&
    [...versions.keys()].some(
      (version) => !row.resolved_version || isNewer(version, row.resolved_version)
    )
  const newest = [...versions.keys()].reduce(
    (latest, version) => (isNewer(version, latest) ? version : latest),
    row.last_version
  )
  if (regression || newest !== row.last_version)
    await trx
      .from('telemetry_issues')
      .where('id', issueId)
      .update({
        last_version: newest,
        ...(regression ? { status: 'open', regressed: true, status_changed_at: now } : {}),
      })
  await upsertAddingMany(trx, {
    table: 'telemetry_issue_versions',
    keys: ['issue_id', 'app_version'],
    rows: [...versions].map(([version, { count, seen: last }]) => ({
      issue_id: issueId,
      app_version: version,
      events_count: count,
      last_seen_at: last,
    })),
    add: ['events_count'],
    keepGreatest: ['last_seen_at'],
  })
}
