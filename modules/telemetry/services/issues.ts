import db from '@adonisjs/lucid/services/db'
import { ApiError } from '#app/exceptions/api_error'
import { eventsQuery, presentEvent } from '#telemetry/services/event_queries'

/* Error issues for the admin pages: the list, one issue's detail, and its status. */
export const ISSUE_STATUSES = ['open', 'resolved', 'ignored'] as const
export type IssueStatus = (typeof ISSUE_STATUSES)[number]

export function presentIssue(row: any) {
  return {
    id: Number(row.id),
    name: row.name as string,
    message: row.message as string,
    culprit: row.culprit as string | null,
    status: row.status as IssueStatus,
    regressed: Boolean(row.regressed),
    resolvedVersion: row.resolved_version as string | null,
    events: Number(row.events_count),
    installations: Number(row.installations_count),
    firstVersion: row.first_version as string,
    lastVersion: row.last_version as string,
    firstSeenAt: new Date(Number(row.first_seen_at)).toISOString(),
    lastSeenAt: new Date(Number(row.last_seen_at)).toISOString(),
  }
}

export async function listIssues(filters: { status?: string; q?: string }, page: number) {
  const query = db.from('telemetry_issues').orderBy('last_seen_at', 'desc').orderBy('id', 'desc')
  if (filters.status) query.where('status', filters.status)
  if (filters.q) query.whereRaw('lower(name) like ?', [`%${filters.q.toLowerCase()}%`])
  const result = await query.paginate(page, 50)
  return { data: result.all().map(presentIssue), meta: result.getMeta() }
}

export async function issueCounts() {
  const rows = await db
    .from('telemetry_issues')
    .groupBy('status')
    .select('status', db.raw('count(*) as n'))
  const counts: Record<string, number> = { open: 0, resolved: 0, ignored: 0 }
  for (const row of rows) counts[row.status] = Number(row.n)
  return counts
}

export async function findIssue(id: number) {
  const row = await db.from('telemetry_issues').where('id', id).first()
  if (!row) throw ApiError.notFound('No such issue')
  return row
}

export async function issueDetail(id: number) {
  const row = await findIssue(id)
  const versions = await db
    .from('telemetry_issue_versions')
    .where('issue_id', id)
    .orderBy('events_count', 'desc')
    .limit(20)
  const installations = await db
    .from('telemetry_issue_installations as x')
    .join('telemetry_installations as i', 'i.id', 'x.installation_id')
    .join('companies as c', 'c.id', 'i.company_id')
    .where('x.issue_id', id)
    .orderBy('x.first_seen_at', 'desc')
    .limit(20)
    .select('i.uuid', 'i.app_version', 'i.platform', 'c.name as company_name', 'x.first_seen_at')
  const occurrences = await eventsQuery({ issueId: id }).orderBy('e.id', 'desc').limit(20)
  return {
    issue: presentIssue(row),
    versions: versions.map((v: any) => ({
      version: v.app_version as string,
      events: Number(v.events_count),
      lastSeenAt: new Date(Number(v.last_seen_at)).toISOString(),
    })),
    installations: installations.map((i: any) => ({
      id: i.uuid as string,
      company: i.company_name as string,
      appVersion: i.app_version as string,
      platform: i.platform as string,
      firstSeenAt: new Date(Number(i.first_seen_at)).toISOString(),
    })),
    occurrences: occurrences.map(presentEvent),
  }
}

/* Resolving remembers the newest version seen: the same error in a newer one is a regression. */
export async function setIssueStatus(id: number, status: IssueStatus, now: number) {
  const row = await findIssue(id)
  await db
    .from('telemetry_issues')
    .where('id', id)
    .update({
      status,
      regressed: false,
      resolved_version: status === 'resolved' ? row.last_version : null,
      status_changed_at: now,
    })
  return { before: row.status as IssueStatus, row }
}
