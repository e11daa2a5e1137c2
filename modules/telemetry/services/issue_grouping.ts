import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { upsertAddingMany, upsertStatements } from '#app/helpers/upsert'
import { allAnswered, connectionOf, send } from '#app/helpers/pg_statements'
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
  const found = await findIssues(
    trx,
    issues.map((issue) => issue.fingerprint)
  )
  for (const issue of issues) {
    const issueId = found.get(issue.fingerprint) ?? (await createIssue(trx, issue))
    ids.set(issue.fingerprint, issueId)
    for (const part of issue.parts) for (const event of part.events) issueOf.set(event.id, issueId)
  }
  return { issueOf, ids }
}

/* The issues already there, in one read whatever their number (IN list padded). */
async function findIssues(trx: TransactionClientContract, prints: string[]) {
  const found = new Map<string, number>()
  if (!prints.length) return found
  const list = paddedIn(prints)
  const rows = rawRows<{ id: number | string; fingerprint: string }>(
    await trx.rawQuery(
      `SELECT id, fingerprint FROM telemetry_issues WHERE fingerprint IN ${list.sql}`,
      list.values
    )
  )
  for (const row of rows) found.set(row.fingerprint, Number(row.id))
  return found
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
  if (!issues.length) return
  if (trx.dialect.name === 'postgres') return countIssuesPg(trx, issues, ids, now)
  for (const issue of issues) await countIssue(trx, issue, ids.get(issue.fingerprint)!, now)
}

/* What a group adds to one issue: events, the newest time, per version, the installations. */
function tally(issue: Issue) {
  const events = issue.parts.flatMap((part) => part.events)
  const seen = Math.max(...events.map((event) => event.timestamp))
  const versions = new Map<string, { count: number; seen: number }>()
  for (const part of issue.parts) {
    const version = versions.get(part.appVersion) ?? { count: 0, seen: 0 }
    version.count += part.events.length
    version.seen = Math.max(version.seen, ...part.events.map((event) => event.timestamp))
    versions.set(part.appVersion, version)
  }
  const installations = [...new Set(issue.parts.map((part) => part.installationId))]
  return { events: events.length, seen, versions, installations }
}

type Tally = ReturnType<typeof tally>
type Counted = { status: string; resolved_version: string | null; last_version: string }

/*
| The issue's row lock is taken by the counting UPDATE itself (it returns the row as it now
| stands on PostgreSQL and SQLite; MySQL has no UPDATE … RETURNING, so it reads the row FOR
| UPDATE first). The version and the status change in a second UPDATE, only when they do.
*/
function countingUpdate(trx: TransactionClientContract) {
  const greatest = greatestFunction(trx.dialect.name)
  return `UPDATE telemetry_issues SET events_count = events_count + ?, installations_count = installations_count + ?, last_seen_at = ${greatest}(last_seen_at, ?) WHERE id = ?`
}

function versionRows(issueId: number, counts: Tally['versions']) {
  return {
    table: 'telemetry_issue_versions',
    keys: ['issue_id', 'app_version'],
    rows: [...counts].map(([version, { count, seen: last }]) => ({
      issue_id: issueId,
      app_version: version,
      events_count: count,
      last_seen_at: last,
    })),
    add: ['events_count'],
    keepGreatest: ['last_seen_at'],
  }
}

/* After counting: a resolved issue seen in a newer version reopens; the newest version is kept. */
function versionChange(counts: Tally['versions'], row: Counted) {
  const regression =
    row.status === 'resolved' &&
    [...counts.keys()].some(
      (version) => !row.resolved_version || isNewer(version, row.resolved_version)
    )
  const newest = [...counts.keys()].reduce(
    (latest, version) => (isNewer(version, latest) ? version : latest),
    row.last_version
  )
  return regression || newest !== row.last_version ? { newest, regression } : null
}

async function markVersions(
  trx: TransactionClientContract,
  issueId: number,
  counts: Tally['versions'],
  row: Counted,
  now: number
) {
  const change = versionChange(counts, row)
  if (change)
    await trx
      .from('telemetry_issues')
      .where('id', issueId)
      .update({
        last_version: change.newest,
        ...(change.regression ? { status: 'open', regressed: true, status_changed_at: now } : {}),
      })
}

async function countIssue(
  trx: TransactionClientContract,
  issue: Issue,
  issueId: number,
  now: number
) {
  const counts = tally(issue)
  /* Installations are locked by the transaction, so "first time for this one" cannot race. */
  const list = paddedIn(counts.installations)
  const known = new Set(
    rawRows<{ installation_id: number | string }>(
      await trx.rawQuery(
        `SELECT installation_id FROM telemetry_issue_installations WHERE issue_id = ? AND installation_id IN ${list.sql}`,
        [issueId, ...list.values]
      )
    ).map((found) => Number(found.installation_id))
  )
  const firstTime = counts.installations.filter((id) => !known.has(id))
  if (firstTime.length)
    await trx.table('telemetry_issue_installations').multiInsert(
      firstTime.map((installationId) => ({
        issue_id: issueId,
        installation_id: installationId,
        first_seen_at: now,
      }))
    )
  const counting = countingUpdate(trx)
  const bindings = [counts.events, firstTime.length, counts.seen, issueId]
  let row: Counted
  if (trx.dialect.name === 'mysql') {
    row = await trx
      .from('telemetry_issues')
      .where('id', issueId)
      .select('status', 'resolved_version', 'last_version')
      .forUpdate()
      .first()
    await trx.rawQuery(counting, bindings)
  } else {
    ;[row] = rawRows<Counted>(await trx.rawQuery(`${counting} RETURNING ${RETURNED}`, bindings))
  }
  await markVersions(trx, issueId, counts.versions, row, now)
  await upsertAddingMany(trx, versionRows(issueId, counts.versions))
}

const RETURNED = 'status, resolved_version, last_version'

/*
| PostgreSQL (a round trip per statement, its connections pipeline): the installations already
| counted for the group's issues in one read, then every issue's writes sent together, in
| fingerprint order (the order its row locks are taken in, as above): the first-time
| installations, the counting UPDATE, the per-version upsert; then, together, the UPDATEs of
| the issues whose version or status changes. Two round trips whatever the number of issues (three
| when a version changes), against three to five per issue; the issue rows' locks are held for one
| of them before the COMMIT (two when a version changes) instead of two or three per issue.
*/
async function countIssuesPg(
  trx: TransactionClientContract,
  issues: Issue[],
  ids: Map<string, number>,
  now: number
) {
  const connection = await connectionOf(trx)
  const counts = issues.map((issue) => ({ issueId: ids.get(issue.fingerprint)!, ...tally(issue) }))
  const rows: Array<{ issue_id: number; installation_id: number }> = await send(
    connection,
    trx,
    KNOWN_INSTALLATIONS_PG,
    [
      counts.map((count) => count.issueId),
      [...new Set(counts.flatMap((count) => count.installations))],
    ] as any[]
  )
  const known = new Set(rows.map((row) => `${row.issue_id}|${row.installation_id}`))
  const statements: Array<Promise<any[]>> = []
  const counted: Array<Promise<any[]>> = []
  try {
    for (const count of counts) {
      const firstTime = count.installations.filter((id) => !known.has(`${count.issueId}|${id}`))
      if (firstTime.length)
        statements.push(
          send(connection, trx, FIRST_TIME_INSTALLATIONS_PG, [
            count.issueId,
            firstTime,
            now,
          ] as any[])
        )
      const counting = send(connection, trx, `${countingUpdate(trx)} RETURNING ${RETURNED}`, [
        count.events,
        firstTime.length,
        count.seen,
        count.issueId,
      ])
      statements.push(counting)
      counted.push(counting)
      for (const upsert of upsertStatements(trx, versionRows(count.issueId, count.versions)))
        statements.push(send(connection, trx, upsert.text, upsert.values))
    }
  } catch (error) {
    /* Refused before it went out: the ones already sent are awaited, the error thrown. */
    await Promise.allSettled(statements)
    throw error
  }
  await allAnswered(statements)
  /* Where a version or a status changes (a new release, a regression): those UPDATEs together. */
  const changes: Array<Promise<any[]>> = []
  try {
    for (const [index, count] of counts.entries()) {
      const [row] = (await counted[index]) as Counted[]
      const change = versionChange(count.versions, row)
      if (!change) continue
      changes.push(
        change.regression
          ? send(connection, trx, REGRESSED_PG, [change.newest, now, count.issueId])
          : send(connection, trx, NEWEST_VERSION_PG, [change.newest, count.issueId])
      )
    }
  } catch (error) {
    await Promise.allSettled(changes)
    throw error
  }
  await allAnswered(changes)
}

const NEWEST_VERSION_PG = 'UPDATE telemetry_issues SET last_version = ? WHERE id = ?'
const REGRESSED_PG =
  "UPDATE telemetry_issues SET last_version = ?, status = 'open', regressed = true, status_changed_at = ? WHERE id = ?"

const KNOWN_INSTALLATIONS_PG =
  'SELECT issue_id, installation_id FROM telemetry_issue_installations WHERE issue_id = ANY(?::int[]) AND installation_id = ANY(?::int[])'
const FIRST_TIME_INSTALLATIONS_PG =
  'INSERT INTO telemetry_issue_installations (issue_id, installation_id, first_seen_at) SELECT ?::int, unnest(?::int[]), ?::bigint'
