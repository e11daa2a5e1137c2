/*
| The dashboard half of the telemetry benchmark (its own process, inside the app): seeds
| BENCH_TELEMETRY_EVENTS events straight into the tables (30 days, 5,000 installations over 50
| companies, with their daily rollups and 200 issues), then times every query the admin and
| company dashboards run: median of 5 after one warm-up. Prints one JSON line at the end.
*/
import { randomUUID } from 'node:crypto'
import { createIgnitor } from '../bin/ignitor.js'

const total = Number(process.env.BENCH_TELEMETRY_EVENTS || 10_000_000)
const app = createIgnitor().createApp('console')
await app.init()
await app.boot()
await app.start(() => {})

const { default: db } = await import('@adonisjs/lucid/services/db')
const { default: Company } = await import('#accounts/models/company')
const dashboard = await import('#telemetry/services/dashboard')
const { listIssues } = await import('#telemetry/services/issues')
const { listEvents } = await import('#telemetry/services/event_queries')

const DAY = 86_400_000
const now = Date.now()
const COMPANIES = 50
const INSTALLATIONS = 5000
const VERSIONS = ['1.3.0', '1.4.0', '1.4.2', '1.5.0']
const TYPES = [
  'event',
  'event',
  'event',
  'event',
  'event',
  'event',
  'event',
  'event',
  'log',
  'error',
]
const LEVELS = ['info', 'info', 'warn', 'debug', 'error']
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10)

async function seed() {
  const companies: number[] = []
  for (let i = 0; i < COMPANIES; i++) {
    const company = await Company.create({ name: `Telemetry seed ${i}`, personal: false })
    companies.push(company.id)
  }
  const installations: Array<{ id: number; uuid: string; company: number; version: string }> = []
  for (let start = 0; start < INSTALLATIONS; start += 500) {
    const rows = Array.from({ length: 500 }, (_, k) => ({
      uuid: randomUUID(),
      company_id: companies[(start + k) % COMPANIES],
      app_version: VERSIONS[(start + k) % VERSIONS.length],
      platform: ['windows', 'macos', 'linux'][(start + k) % 3],
      first_seen_at: now - 30 * DAY,
      last_seen_at: now - ((start + k) % 10) * DAY,
    }))
    await db.table('telemetry_installations').multiInsert(rows)
  }
  for (const row of await db.from('telemetry_installations').whereIn('company_id', companies))
    installations.push({
      id: Number(row.id),
      uuid: row.uuid,
      company: Number(row.company_id),
      version: row.app_version,
    })
  const issues: number[] = []
  for (let i = 0; i < 200; i++) {
    const inserted: any[] = await db
      .table('telemetry_issues')
      .returning('id')
      .insert({
        fingerprint: randomUUID().replace(/-/g, '').padEnd(64, '0'),
        name: `Error${i}`,
        message: `timeout after ${i} ms`,
        status: i % 3 ? 'open' : 'resolved',
        events_count: 0,
        installations_count: 0,
        first_version: '1.3.0',
        last_version: '1.5.0',
        first_seen_at: now - 30 * DAY,
        last_seen_at: now - (i % 30) * DAY,
      })
    issues.push(Number(inserted[0]?.id ?? inserted[0]))
  }
  if (db.connection().dialect.name === 'postgres') {
    const rollupRows = await seedEventsInPostgres(companies, installations, issues)
    return { companyId: companies[0], installation: installations[7].uuid, rollupRows }
  }
  const rollup = new Map<
    string,
    {
      installation: (typeof installations)[0]
      day: string
      events: number
      logs: number
      errors: number
    }
  >()
  const chunk = 500
  let done = 0
  while (done < total) {
    const n = Math.min(chunk, total - done)
    const rows = Array.from({ length: n }, (_, k) => {
      const i = done + k
      const installation = installations[i % installations.length]
      const at = now - Math.floor((i / total) * 30 * DAY) - (k % 1000)
      const type = TYPES[i % TYPES.length]
      const key = `${installation.id}:${dayOf(at)}`
      const counts = rollup.get(key) ?? {
        installation,
        day: dayOf(at),
        events: 0,
        logs: 0,
        errors: 0,
      }
      counts.events++
      if (type === 'log') counts.logs++
      if (type === 'error') counts.errors++
      rollup.set(key, counts)
      return {
        event_id: randomUUID(),
        company_id: installation.company,
        installation_id: installation.id,
        type,
        name: type === 'error' ? `Error${i % 200}` : type === 'log' ? 'sync' : 'project.opened',
        level: type === 'log' ? LEVELS[i % LEVELS.length] : type === 'error' ? 'error' : null,
        message:
          type === 'event'
            ? null
            : i % 97 === 0
              ? 'connection timeout after 30 s'
              : `synced ${i % 50} files`,
        props: type === 'event' ? '{"screen":"home","files":3}' : null,
        session_id: `s-${i % 9000}`,
        stack: null,
        app_version: installation.version,
        platform: 'windows',
        issue_id: type === 'error' ? issues[i % 200] : null,
        occurred_at: at,
        received_at: at,
      }
    })
    await db.transaction(async (trx) => {
      await trx.table('telemetry_events').multiInsert(rows)
    })
    done += n
    if (done % 100_000 < chunk || done === total)
      process.stderr.write(
        `\rseeding ${Math.round((done / total) * 100)}%  ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} events`
      )
  }
  process.stderr.write('\n')
  const days = [...rollup.values()]
  for (let start = 0; start < days.length; start += 500)
    await db.table('telemetry_installation_days').multiInsert(
      days.slice(start, start + 500).map((d) => ({
        installation_id: d.installation.id,
        day: d.day,
        app_version: d.installation.version,
        company_id: d.installation.company,
        platform: 'windows',
        events: d.events,
        logs: d.logs,
        errors: d.errors,
      }))
    )
  return { companyId: companies[0], installation: installations[7].uuid, rollupRows: days.length }
}

/*
| PostgreSQL: the same events (same formulas, same order, so the same ids and times) generated by
| the server itself with generate_series, half a million per statement, then the daily rollups
| computed from them. Sending ten million rows through Lucid took over half an hour here.
*/
async function seedEventsInPostgres(
  companies: number[],
  installations: Array<{ id: number; company: number; version: string }>,
  issues: number[]
) {
  const CHUNK = 500_000
  const insert = `INSERT INTO telemetry_events (event_id, company_id, installation_id, type, name,
      level, message, props, session_id, stack, app_version, platform, issue_id, occurred_at,
      received_at)
    SELECT gen_random_uuid()::text, installation.company, installation.id, kind.type,
      CASE kind.type WHEN 'error' THEN 'Error' || (i % 200) WHEN 'log' THEN 'sync'
        ELSE 'project.opened' END,
      CASE kind.type WHEN 'log' THEN (?::text[])[i % ? + 1] WHEN 'error' THEN 'error' END,
      CASE WHEN kind.type = 'event' THEN NULL WHEN i % 97 = 0 THEN 'connection timeout after 30 s'
        ELSE 'synced ' || (i % 50) || ' files' END,
      CASE WHEN kind.type = 'event' THEN '{"screen":"home","files":3}' END,
      's-' || (i % 9000), NULL, installation.version, 'windows',
      CASE WHEN kind.type = 'error' THEN (?::int[])[i % 200 + 1] END,
      moment.at, moment.at
    FROM generate_series(?::bigint, ?::bigint) AS i
    CROSS JOIN LATERAL (SELECT (?::int[])[i % ? + 1] AS id, (?::int[])[i % ? + 1] AS company,
      (?::text[])[i % ? + 1] AS version) AS installation
    CROSS JOIN LATERAL (SELECT (?::text[])[i % ? + 1] AS type) AS kind
    CROSS JOIN LATERAL (SELECT ?::bigint - floor(i::numeric / ? * 30 * ?)::bigint - i % ? AS at)
      AS moment`
  const n = installations.length
  for (let from = 0; from < total; from += CHUNK) {
    const to = Math.min(total, from + CHUNK) - 1
    await db.rawQuery(insert, [
      LEVELS,
      LEVELS.length,
      issues,
      from,
      to,
      installations.map((installation) => installation.id),
      n,
      installations.map((installation) => installation.company),
      n,
      installations.map((installation) => installation.version),
      n,
      TYPES,
      TYPES.length,
      now,
      total,
      DAY,
      500,
    ] as any[])
    process.stderr.write(
      `\rseeding ${Math.round(((to + 1) / total) * 100)}%  ${(to + 1).toLocaleString('en-US')} / ${total.toLocaleString('en-US')} events`
    )
  }
  process.stderr.write('\n')
  const rollups = await db.rawQuery(
    `INSERT INTO telemetry_installation_days (installation_id, day, app_version, company_id,
        platform, events, logs, errors)
      SELECT installation_id, to_char(to_timestamp(occurred_at / 1000.0) AT TIME ZONE 'UTC',
        'YYYY-MM-DD'), app_version, company_id, 'windows', count(*),
        count(*) FILTER (WHERE type = 'log'), count(*) FILTER (WHERE type = 'error')
      FROM telemetry_events WHERE company_id = ANY(?::int[]) GROUP BY 1, 2, 3, 4`,
    [companies] as any[]
  )
  return Number(rollups.rowCount)
}

const started = performance.now()
const seeded = await seed()
const seedSeconds = (performance.now() - started) / 1000

/*
| Planner statistics, as a production server has them after such a load: this machine's
| PostgreSQL runs with autovacuum off, and without statistics the planner took 2 million events
| for 300,000 and answered the text search with a scan of the whole table (310 ms instead of
| 100 ms at 2 million). SQLite plans without statistics (docs/adr/0012) and MySQL keeps its own.
*/
if (db.connection().dialect.name === 'postgres') await db.rawQuery('ANALYZE')

async function time(fn: () => Promise<unknown>) {
  await fn()
  const runs: number[] = []
  for (let i = 0; i < 5; i++) {
    const t = performance.now()
    await fn()
    runs.push(performance.now() - t)
  }
  return runs.sort((a, b) => a - b)[2]
}

const hour = { from: now - 5 * DAY, to: now - 5 * DAY + 3600_000 }
const queries: Array<[string, () => Promise<unknown>]> = [
  ['stat cards (all)', () => dashboard.statCards(now)],
  ['events per day, 30 days (all)', () => dashboard.dailySeries(now, 30)],
  ['version adoption (all)', () => dashboard.versionAdoption(now)],
  ['stat cards (one company)', () => dashboard.statCards(now, seeded.companyId)],
  ['events per day (one company)', () => dashboard.dailySeries(now, 30, seeded.companyId)],
  ['latest installations', () => dashboard.recentInstallations({ limit: 10 })],
  ['open issues, page 1', () => listIssues({ status: 'open' }, 1)],
  ['logs, no filter', () => listEvents({}, { limit: 50 })],
  ['logs, type=error', () => listEvents({ type: 'error' }, { limit: 50 })],
  ['logs, level=warn', () => listEvents({ level: 'warn' }, { limit: 50 })],
  ['logs, one company', () => listEvents({ companyId: seeded.companyId }, { limit: 50 })],
  [
    'logs, one installation',
    () => listEvents({ installation: seeded.installation }, { limit: 50 }),
  ],
  ['logs, text "timeout"', () => listEvents({ q: 'timeout' }, { limit: 50 })],
  ['logs, one-hour window', () => listEvents(hour, { limit: 50 })],
]
const results: Array<{ query: string; ms: number }> = []
for (const [query, fn] of queries) results.push({ query, ms: await time(fn) })
console.log(JSON.stringify({ events: total, seedSeconds, rollupRows: seeded.rollupRows, results }))
await app.terminate()
