import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { upsertAdding } from '#app/helpers/upsert'
import type { CleanEvent } from '#telemetry/services/batch'
import { fingerprint } from '#telemetry/services/fingerprint'
import { isNewer } from '#telemetry/services/versions'

/*
| Error events become issues inside the ingest transaction. Issues are locked in fingerprint
| order, so two batches sharing errors cannot deadlock. A resolved issue seen again in a version
| newer than the one it was resolved in reopens as a regression; ignored stays ignored.
*/
type Group = { fingerprint: string; culprit: string | null; events: CleanEvent[] }

export function groupErrors(events: CleanEvent[]) {
  const groups = new Map<string, Group>()
  for (const event of events) {
    if (event.type !== 'error') continue
    const print = fingerprint(event.name, event.message, event.stack)
    const group = groups.get(print.fingerprint) ?? { ...print, events: [] }
    group.events.push(event)
    groups.set(print.fingerprint, group)
  }
  return [...groups.values()].sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : 1))
}

export type IssueContext = { installationId: number; appVersion: string; now: number }

/** Returns each event id's issue id. */
export async function recordIssues(
  trx: TransactionClientContract,
  groups: Group[],
  context: IssueContext
) {
  const issueOf = new Map<string, number>()
  for (const group of groups) {
    const issueId = await recordGroup(trx, group, context)
    for (const event of group.events) issueOf.set(event.id, issueId)
  }
  return issueOf
}

async function recordGroup(trx: TransactionClientContract, group: Group, context: IssueContext) {
  const first = group.events[0]
  const seen = Math.max(...group.events.map((event) => event.timestamp))
  await trx
    .knexQuery()
    .table('telemetry_issues')
    .insert({
      fingerprint: group.fingerprint,
      name: first.name.slice(0, 200),
      message: (first.message ?? '').slice(0, 1000),
      culprit: group.culprit,
      status: 'open',
      first_version: context.appVersion,
      last_version: context.appVersion,
      first_seen_at: Math.min(...group.events.map((event) => event.timestamp)),
      last_seen_at: seen,
    })
    .onConflict('fingerprint')
    .ignore()
  const issue = await trx
    .from('telemetry_issues')
    .where('fingerprint', group.fingerprint)
    .select('id', 'status', 'resolved_version', 'last_version', 'last_seen_at')
    .first()
  const issueId = Number(issue.id)
  const known = await trx
    .from('telemetry_issue_installations')
    .where({ issue_id: issueId, installation_id: context.installationId })
    .first()
  if (!known)
    await trx.table('telemetry_issue_installations').insert({
      issue_id: issueId,
      installation_id: context.installationId,
      first_seen_at: context.now,
    })
  const regression =
    issue.status === 'resolved' &&
    (!issue.resolved_version || isNewer(context.appVersion, issue.resolved_version))
  await trx
    .from('telemetry_issues')
    .where('id', issueId)
    .update({
      events_count: trx.raw('events_count + ?', [group.events.length]),
      installations_count: trx.raw('installations_count + ?', [known ? 0 : 1]),
      last_seen_at: Math.max(seen, Number(issue.last_seen_at)),
      last_version: isNewer(context.appVersion, issue.last_version)
        ? context.appVersion
        : issue.last_version,
      ...(regression ? { status: 'open', regressed: true, status_changed_at: context.now } : {}),
    })
  await upsertAdding(trx, {
    table: 'telemetry_issue_versions',
    keys: ['issue_id', 'app_version'],
    row: {
      issue_id: issueId,
      app_version: context.appVersion,
      events_count: group.events.length,
      last_seen_at: seen,
    },
    add: ['events_count'],
    replace: ['last_seen_at'],
  })
  return issueId
}
