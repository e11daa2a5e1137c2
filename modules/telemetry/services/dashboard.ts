import db from '@adonisjs/lucid/services/db'
import { dayOf } from '#telemetry/services/ingest'

/*
| Dashboard numbers, all read from telemetry_installation_days (one row per installation, day
| and version) or the installations registry, never from the raw events: they stay fast with
| tens of millions of events. `companyId` narrows every number to one company.
*/
const DAY = 86_400_000

export function lastDays(now: number, count: number) {
  return Array.from({ length: count }, (_, index) => dayOf(now - (count - 1 - index) * DAY))
}

function days(companyId?: number) {
  const query = db.from('telemetry_installation_days')
  if (companyId) query.where('company_id', companyId)
  return query
}

export async function statCards(now: number, companyId?: number) {
  const today = dayOf(now)
  const weekStart = dayOf(now - 6 * DAY)
  const [week] = await days(companyId)
    .where('day', '>=', weekStart)
    .select(
      db.raw('count(distinct installation_id) as installations'),
      db.raw('count(distinct case when errors > 0 then installation_id end) as crashed'),
      db.raw('coalesce(sum(events), 0) as events'),
      db.raw('coalesce(sum(errors), 0) as errors')
    )
  const [day] = await days(companyId)
    .where('day', today)
    .select(db.raw('count(distinct installation_id) as installations'))
  const installations = Number(week?.installations ?? 0)
  return {
    activeToday: Number(day?.installations ?? 0),
    activeWeek: installations,
    eventsWeek: Number(week?.events ?? 0),
    errorsWeek: Number(week?.errors ?? 0),
    crashFreeWeek: installations ? 1 - Number(week.crashed ?? 0) / installations : null,
  }
}

export type DayPoint = { date: string; events: number; errors: number; installations: number }

export async function dailySeries(now: number, count: number, companyId?: number) {
  const range = lastDays(now, count)
  const rows = await days(companyId)
    .where('day', '>=', range[0])
    .groupBy('day')
    .select(
      'day',
      db.raw('count(distinct installation_id) as installations'),
      db.raw('coalesce(sum(events), 0) as events'),
      db.raw('coalesce(sum(errors), 0) as errors')
    )
  const byDay = new Map(rows.map((row: any) => [row.day, row]))
  return range.map((date): DayPoint => {
    const row: any = byDay.get(date)
    return {
      date,
      events: Number(row?.events ?? 0),
      errors: Number(row?.errors ?? 0),
      installations: Number(row?.installations ?? 0),
    }
  })
}

/* Installations active in the last 7 days by the version they ran (a version counts once each). */
export async function versionAdoption(now: number, companyId?: number, top = 8) {
  const rows = await days(companyId)
    .where('day', '>=', dayOf(now - 6 * DAY))
    .groupBy('app_version')
    .select('app_version', db.raw('count(distinct installation_id) as installations'))
    .orderBy('installations', 'desc')
    .limit(top)
  return rows.map((row: any) => ({
    version: row.app_version as string,
    installations: Number(row.installations),
  }))
}

export async function recentInstallations(options: { companyId?: number; limit: number }) {
  const query = db
    .from('telemetry_installations as i')
    .join('companies as c', 'c.id', 'i.company_id')
    .select('i.*', 'c.name as company_name')
    .orderBy('i.last_seen_at', 'desc')
    .limit(options.limit)
  if (options.companyId) query.where('i.company_id', options.companyId)
  const rows = await query
  return rows.map((row: any) => ({
    id: row.uuid as string,
    company: { id: Number(row.company_id), name: row.company_name as string },
    appVersion: row.app_version as string,
    platform: row.platform as string,
    osVersion: row.os_version as string | null,
    locale: row.locale as string | null,
    eventsReceived: Number(row.events_received),
    firstSeenAt: new Date(Number(row.first_seen_at)).toISOString(),
    lastSeenAt: new Date(Number(row.last_seen_at)).toISOString(),
  }))
}
