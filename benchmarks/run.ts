/*
| `npm run bench`: Tandem next to a baseline doing the same work without Tandem, measured in the
| same run, three ways (see benchmarks/README.md):
|
|   api     GET /api/v1/me with a bearer token vs bare node:http + better-sqlite3 (baseline_server.ts)
|   health  GET /health/live vs bare node:http (baseline_health.ts)
|   queue   no-op jobs/s end to end on BullMQ, one worker process: Tandem's queue vs BullMQ directly
|
|   npm run bench
|   npm run bench -- --only queue --jobs 20000
|   BENCH_DURATION=5 BENCH_CONNECTIONS=32 npm run bench
|
| Prints one table per part and a summary of the ratios; writes benchmarks/results/latest.json.
*/
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { cpus, tmpdir } from 'node:os'
import { join, relative, resolve as resolvePath } from 'node:path'
import { isDeepStrictEqual, parseArgs } from 'node:util'
import { randomUUID } from 'node:crypto'
import { ace, forkScript, ROOT, startServer, stopAll, tandemEnv, type Server } from './processes.js'
import type { LoadJob, LoadMessage, LoadResult } from './load.js'
import { queueBenchmark, type QueueOutcome } from './queue.js'
import { creditsBenchmark } from './credits.js'
import { ID_FORMAT, telemetryBenchmark, type IngestResult } from './telemetry.js'
import { roomsBenchmark } from './rooms.js'
import { billingBenchmark } from './billing.js'
import { filesBenchmark } from './files.js'
import { permissionsOf, type Role } from '#accounts/services/roles'

const PARTS = [
  'api',
  'health',
  'queue',
  'credits',
  'telemetry',
  'rooms',
  'billing',
  'files',
] as const
type Part = (typeof PARTS)[number]

const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string' },
    connections: { type: 'string' },
    warmup: { type: 'string' },
    client: { type: 'string' },
    only: { type: 'string' },
    jobs: { type: 'string' },
    concurrency: { type: 'string' },
    companies: { type: 'string' },
  },
})

function option(flag: string | undefined, envName: string, fallback: number) {
  const raw = flag ?? process.env[envName]
  const value = raw === undefined || raw === '' ? fallback : Number(raw)
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${envName} (or --${envName.slice(6).toLowerCase()}) must be a positive number`)
  return value
}

/* A list of lane counts, e.g. `16,32,64`. */
function lanesOption(raw: string | undefined) {
  if (raw === undefined || raw.trim() === '') return [16, 32, 64]
  const lanes = raw.split(',').map((part) => Number(part.trim()))
  if (lanes.some((n) => !Number.isInteger(n) || n <= 0 || n > 1024))
    throw new Error('BENCH_TELEMETRY_LANES must list whole numbers of lanes, e.g. 16,32,64')
  return lanes
}

const TELEMETRY_DATABASES = ['sqlite', 'sqlite-full', 'pg']
function databasesOption(raw: string | undefined) {
  if (raw === undefined || raw.trim() === '') return TELEMETRY_DATABASES
  const chosen = raw.split(',').map((part) => part.trim())
  if (!chosen.length || chosen.some((name) => !TELEMETRY_DATABASES.includes(name)))
    throw new Error(`BENCH_TELEMETRY_DATABASES lists some of ${TELEMETRY_DATABASES.join(', ')}`)
  return TELEMETRY_DATABASES.filter((name) => chosen.includes(name))
}

function creditsDatabasesOption(raw: string | undefined): Array<'sqlite' | 'pg'> {
  const chosen = (raw ?? 'sqlite,pg').split(',').map((part) => part.trim())
  if (!chosen.every((name) => name === 'sqlite' || name === 'pg'))
    throw new Error('BENCH_CREDITS_DATABASES lists some of sqlite, pg')
  return (['sqlite', 'pg'] as const).filter((name) => chosen.includes(name))
}

function readConfig() {
  const client = flags.client ?? process.env.BENCH_CLIENT ?? 'net'
  if (client !== 'net' && client !== 'http')
    throw new Error('BENCH_CLIENT (or --client) must be net or http')
  const only = (flags.only ?? process.env.BENCH_ONLY ?? PARTS.join(','))
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
  const unknown = only.filter((part) => !PARTS.includes(part as Part))
  if (unknown.length || !only.length)
    throw new Error(`BENCH_ONLY (or --only) lists parts among ${PARTS.join(', ')}`)
  const jobs = Math.round(option(flags.jobs, 'BENCH_JOBS', 20_000))
  return {
    parts: PARTS.filter((part) => only.includes(part)),
    durationSeconds: option(flags.duration, 'BENCH_DURATION', 10),
    warmupSeconds: option(flags.warmup, 'BENCH_WARMUP', 2),
    connections: Math.round(option(flags.connections, 'BENCH_CONNECTIONS', 16)),
    client: client as LoadJob['client'],
    queue: {
      jobs,
      warmupJobs: Math.max(100, Math.round(jobs / 10)),
      concurrency: Math.round(option(flags.concurrency, 'BENCH_CONCURRENCY', 8)),
      inFlight: 32,
    },
    companies: Math.round(option(flags.companies, 'BENCH_COMPANIES', 1000)),
    creditsDatabases: creditsDatabasesOption(process.env.BENCH_CREDITS_DATABASES),
    creditsBatch: Math.min(
      100,
      Math.max(1, Math.round(option(undefined, 'BENCH_CREDITS_BATCH', 100)))
    ),
    telemetryEvents: Math.round(option(undefined, 'BENCH_TELEMETRY_EVENTS', 10_000_000)),
    telemetryLanes: lanesOption(process.env.BENCH_TELEMETRY_LANES),
    telemetryDatabases: databasesOption(process.env.BENCH_TELEMETRY_DATABASES),
    roomsSockets: Math.round(option(undefined, 'BENCH_ROOMS_SOCKETS', 5000)),
    webhookEvents: Math.round(option(undefined, 'BENCH_WEBHOOK_EVENTS', 1000)),
    uploadMegabytes: Math.round(option(undefined, 'BENCH_UPLOAD_MB', 1024)),
  }
}

let config: ReturnType<typeof readConfig>
try {
  config = readConfig()
} catch (error: any) {
  console.error(error.message)
  process.exit(1)
}

const EMAIL = 'bench@example.test'
const PASSWORD = 'bench-password-0123'
const API_PATH = '/api/v1/me'
const HEALTH_PATH = '/health/live'
const tty = process.stdout.isTTY

/* The database lives outside the project by default: a dev server watching the project
   (`node ace serve --hmr`) reacts to every write of the -wal file and steals a core from the
   servers being measured (seen: baseline -37%). BENCH_TMPDIR=tmp/bench puts it back inside. */
const workDir = join(
  resolvePath(ROOT, process.env.BENCH_TMPDIR || tmpdir()),
  `tandem-bench-${randomUUID().slice(0, 8)}`
)
const sqlitePath = join(workDir, 'db.sqlite3')
const env = tandemEnv(sqlitePath)

/* What production runs: the build. BENCH_SOURCE=1 measures the TypeScript sources instead. */
const fromSource = Boolean(process.env.BENCH_SOURCE)
const has = (part: Part) => config.parts.includes(part)
const http = has('api') || has('health')
const httpLoads = http || has('credits')
const steps =
  2 +
  (fromSource ? 0 : 1) +
  (http ? 2 : 0) +
  (has('api') ? 2 : 0) +
  (has('health') ? 2 : 0) +
  (has('queue') ? 1 : 0) +
  (has('credits') ? 3 * config.creditsDatabases.length : 0) +
  /* Per database: migrate, Tandem, baseline, and (not for sqlite-full) the dashboard queries. */
  (has('telemetry')
    ? config.telemetryDatabases.reduce((sum, name) => sum + (name === 'sqlite-full' ? 3 : 4), 0)
    : 0) +
  (has('rooms') ? 3 : 0) +
  (has('billing') ? 3 : 0) +
  (has('files') ? 3 : 0)
let step = 0
const say = (message: string) => console.log(`[${++step}/${steps}] ${message}`)
const number = (value: number) => Math.round(value).toLocaleString('en-US')

/* A line updated in place on a terminal, one line per update otherwise. */
const clearLine = () => tty && process.stdout.write('\r\x1b[2K')
function progress(line: string) {
  if (tty) process.stdout.write(`\r\x1b[2K${line}`)
  else console.log(line)
}

/* Runs the load generator in its own process and shows its progress once a second. */
function runLoad(
  label: string,
  server: Server,
  path: string,
  headers: Record<string, string>,
  extra: Partial<LoadJob> = {}
) {
  const job: LoadJob = {
    ...extra,
    url: server.url + path,
    headers: { accept: 'application/json', ...headers },
    connections: config.connections,
    warmupMs: config.warmupSeconds * 1000,
    durationMs: config.durationSeconds * 1000,
    client: config.client,
    serverPid: server.pid,
  }
  const child = forkScript(join(ROOT, 'benchmarks', 'load.ts'), {
    ...process.env,
    BENCH_LOAD: JSON.stringify(job),
  } as Record<string, string>)

  return new Promise<LoadResult>((resolve, reject) => {
    let settled = false
    child.on('message', (message: LoadMessage) => {
      if (message.type === 'progress') {
        const total = message.phase === 'warmup' ? config.warmupSeconds : config.durationSeconds
        progress(
          `      ${label} ${path}: ${message.phase === 'warmup' ? 'warm-up' : 'measuring'} ${Math.min(
            total,
            Math.round(message.elapsedMs / 1000)
          )}/${total} s, ${number(message.requestsPerSecond)} req/s`
        )
      } else if (message.type === 'done') {
        clearLine()
        settled = true
        resolve(message.result)
      } else {
        clearLine()
        settled = true
        reject(new Error(`load generator failed: ${message.message}`))
      }
    })
    child.once('exit', (code) => {
      if (settled) return
      clearLine()
      reject(new Error(`load generator exited (${code}) without a result`))
    })
  })
}

async function getJson(server: Server, path: string, headers: Record<string, string> = {}) {
  const response = await fetch(server.url + path, { headers })
  const text = await response.text()
  if (response.status !== 200)
    throw new Error(`${server.name} answered ${response.status} to GET ${path}:\n${text}`)
  return JSON.parse(text)
}

/* A baseline is only a baseline if it answers exactly what Tandem answers (values that are
   "now", like a token's lastUsedAt or the uptime, compared by type). */
function assertSameBody(path: string, tandem: any, baseline: any, mask: (body: any) => any) {
  if (!isDeepStrictEqual(mask(tandem), mask(baseline)))
    throw new Error(
      `the baseline's response to ${path} differs from Tandem's:\n  Tandem:   ${JSON.stringify(tandem)}\n  baseline: ${JSON.stringify(baseline)}`
    )
}
const maskMe = (body: any) => ({
  ...body,
  token: { ...body.token, lastUsedAt: typeof body.token?.lastUsedAt },
})
const maskHealth = (body: any) => ({ ...body, uptimeSeconds: typeof body.uptimeSeconds })

const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 100) / 100 : null)

function printRows(rows: string[][]) {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)))
  const format = (row: string[]) =>
    row
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[0]) : cell.padStart(widths[column])
      )
      .join('   ')
      .trimEnd()
  console.log()
  console.log(format(rows[0]))
  console.log(widths.map((width) => '-'.repeat(width)).join('   '))
  rows.slice(1).forEach((row) => console.log(format(row)))
  console.log()
}

function printHttpTable(title: string, tandem: LoadResult, baseline: LoadResult) {
  console.log(`\n${title}`)
  printRows([
    ['', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'requests', 'server CPU', 'client CPU'],
    ...[
      ['Tandem', tandem],
      ['baseline', baseline],
    ].map(([name, r]: any) => [
      name,
      number(r.requestsPerSecond),
      r.latencyMs.p50.toFixed(2),
      r.latencyMs.p99.toFixed(2),
      number(r.errors),
      number(r.requests),
      r.serverCpuPercent === null ? 'n/a' : `${r.serverCpuPercent}%`,
      `${r.clientCpuPercent}%`,
    ]),
    [
      'Tandem/baseline',
      `${ratio(tandem.requestsPerSecond, baseline.requestsPerSecond)}x`,
      `${ratio(tandem.latencyMs.p50, baseline.latencyMs.p50)}x`,
      `${ratio(tandem.latencyMs.p99, baseline.latencyMs.p99)}x`,
      '',
      '',
      '',
      '',
    ],
  ])
}

function printQueueTable(outcome: Extract<QueueOutcome, { tandem: unknown }>) {
  console.log(
    `\nNo-op jobs end to end on BullMQ (Redis ${outcome.redis}), one worker process, concurrency ${outcome.concurrency}`
  )
  const { tandem, baseline } = outcome
  printRows([
    [
      '',
      'jobs/s',
      'dispatch/s',
      'jobs',
      'seconds',
      'failed',
      'worker CPU',
      'client CPU',
      'Redis CPU',
    ],
    ...[
      ['Tandem', tandem],
      ['baseline', baseline],
    ].map(([name, r]: any) => [
      name,
      number(r.jobsPerSecond),
      number(r.dispatchPerSecond),
      number(r.jobs),
      (r.durationMs / 1000).toFixed(2),
      number(r.failed),
      r.workerCpuPercent === null ? 'n/a' : `${r.workerCpuPercent}%`,
      `${r.clientCpuPercent}%`,
      r.redisCpuPercent === null ? 'n/a' : `${r.redisCpuPercent}%`,
    ]),
    [
      'Tandem/baseline',
      `${ratio(tandem.jobsPerSecond, baseline.jobsPerSecond)}x`,
      `${ratio(tandem.dispatchPerSecond, baseline.dispatchPerSecond)}x`,
      '',
      '',
      '',
      '',
      '',
      '',
    ],
  ])
}

/*
| Targets from the issues that asked for each benchmark: a share of the baseline (health,
| queue) or a rate on this 2-core machine (credits). None for the API hot path.
*/
/* `note`: said instead of (met) when a rate is reached without what the aim asks for. */
type Aim = { ratio?: number; rate?: number; note?: string } | null
const AIMS: Record<Part, Aim> = {
  api: null,
  health: { ratio: 0.7 },
  queue: { ratio: 0.8 },
  credits: null,
  telemetry: null,
  rooms: null,
  billing: null,
  files: { ratio: 0.8 },
}

function aimText(aim: Aim, tandem: number, value: number | null) {
  if (!aim) return ''
  if (aim.rate !== undefined)
    return `≥ ${number(aim.rate)}/s${tandem < aim.rate ? ' (not met)' : aim.note ? ` (${aim.note})` : ' (met)'}`
  return `≥ ${aim.ratio}x${value !== null && value >= aim.ratio! ? ' (met)' : ' (not met)'}`
}

async function main() {
  const parts = [
    httpLoads &&
      `HTTP: ${config.connections} connections, ${config.warmupSeconds} s warm-up + ${config.durationSeconds} s measured per server, ${config.client} client`,
    has('queue') &&
      `queue: ${number(config.queue.jobs)} jobs per run, worker concurrency ${config.queue.concurrency}`,
    has('credits') &&
      `credits: ${number(config.companies)} companies, ${config.creditsDatabases.map((name) => (name === 'pg' ? 'PostgreSQL' : 'SQLite')).join(' then ')}, same HTTP settings`,
    has('telemetry') &&
      `telemetry: batches of 100 events, ${config.telemetryLanes.join(' / ')} lanes; dashboard queries over ${number(config.telemetryEvents)} events`,
    has('rooms') &&
      `rooms: ${number(config.roomsSockets)} sockets in rooms of 10, ${config.durationSeconds} s saturated + ${config.durationSeconds} s paced per server`,
    has('billing') &&
      `billing: a burst of ${number(config.webhookEvents)} signed webhook events over ${config.connections} connections`,
    has('files') &&
      `files: one ${number(config.uploadMegabytes)} MiB upload to the local disk per server`,
  ].filter(Boolean)
  console.log(
    `Tandem vs baselines (${config.parts.join(', ')}; ${cpus().length} CPUs, Node ${process.version})\n  ${parts.join('\n  ')}`
  )

  say(`database: migrating a fresh SQLite file (${sqlitePath})`)
  await mkdir(workDir, { recursive: true })
  await ace(['migration:run', '--force'], env)

  say(`user: ${EMAIL} (node ace users:create)`)
  const output = await ace(['users:create', EMAIL, `--password=${PASSWORD}`, '--json'], env)
  const created = JSON.parse(output.trim().split('\n').at(-1)!) as {
    userId: number
    companyId: number
  }

  if (!fromSource && process.env.BENCH_BUILD === '0') {
    say('Tandem: using the existing build/ (BENCH_BUILD=0)')
  } else if (!fromSource) {
    say('Tandem: building (node ace build)')
    await ace(['build'], { ...process.env, NODE_ENV: 'development' } as any)
  }

  const results: Record<string, any> = {}
  const summary: Array<{
    part: Part
    what: string
    unit: string
    tandem: number
    baseline: number
    aim?: Aim
  }> = []

  if (http) {
    const entry = fromSource ? 'bin/server.ts' : 'build/bin/server.js'
    say(`Tandem: starting ${entry} (production mode), issuing a token`)
    /* Up means routed and guarded: an anonymous GET /api/v1/me is refused with a 401. */
    const answers401 = (url: string) => fetch(url + API_PATH).then((r) => r.status === 401)
    const tandem = await startServer('Tandem', entry, env, answers401)
    const issued = await fetch(`${tandem.url}/api/v1/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept': 'application/json' },
      body: JSON.stringify({ email: EMAIL, password: PASSWORD, deviceName: 'bench' }),
    })
    if (issued.status !== 201)
      throw new Error(`POST /api/v1/auth/tokens answered ${issued.status}: ${await issued.text()}`)
    const { token } = (await issued.json()) as { token: string }
    const bearer = { authorization: `Bearer ${token}` }
    const tandemMe = await getJson(tandem, API_PATH, bearer)
    const tandemHealth = await getJson(tandem, HEALTH_PATH)

    say(`Tandem: load (${config.parts.filter((part) => part !== 'queue').join(', ')})`)
    const loads: Record<string, LoadResult> = {}
    if (has('api')) loads.api = await runLoad('Tandem', tandem, API_PATH, bearer)
    if (has('health')) loads.health = await runLoad('Tandem', tandem, HEALTH_PATH, {})
    await tandem.stop()

    if (has('api')) {
      say('baseline: starting benchmarks/baseline_server.ts on the same database')
      /* Module grants happen at boot in Tandem; the baseline is told them. */
      const role = tandemMe.company.role as Role
      const grants = Object.fromEntries(
        tandemMe.permissions
          .filter((permission: string) => !permissionsOf(role).includes(permission))
          .map((permission: string) => [permission, [role]])
      )
      const baselineEnv = { ...env, BENCH_GRANTS: JSON.stringify(grants) }
      const baseline = await startServer(
        'baseline',
        'benchmarks/baseline_server.ts',
        baselineEnv,
        answers401
      )
      assertSameBody(API_PATH, tandemMe, await getJson(baseline, API_PATH, bearer), maskMe)
      say('baseline: load')
      const result = await runLoad('baseline', baseline, API_PATH, bearer)
      await baseline.stop()
      printHttpTable(`GET ${API_PATH} with a bearer token`, loads.api, result)
      results.api = {
        request: `GET ${API_PATH} (bearer token, user ${created.userId}, company ${created.companyId})`,
        tandem: loads.api,
        baseline: result,
      }
      summary.push({
        part: 'api',
        what: `GET ${API_PATH}`,
        unit: 'req/s',
        tandem: loads.api.requestsPerSecond,
        baseline: result.requestsPerSecond,
      })
    }
    if (has('health')) {
      say('baseline: starting benchmarks/baseline_health.ts')
      const answers200 = (url: string) => fetch(url + HEALTH_PATH).then((r) => r.status === 200)
      const baseline = await startServer(
        'baseline',
        'benchmarks/baseline_health.ts',
        env,
        answers200
      )
      assertSameBody(HEALTH_PATH, tandemHealth, await getJson(baseline, HEALTH_PATH), maskHealth)
      say('baseline: load')
      const result = await runLoad('baseline', baseline, HEALTH_PATH, {})
      await baseline.stop()
      printHttpTable(`GET ${HEALTH_PATH}`, loads.health, result)
      results.health = { request: `GET ${HEALTH_PATH}`, tandem: loads.health, baseline: result }
      summary.push({
        part: 'health',
        what: `GET ${HEALTH_PATH}`,
        unit: 'req/s',
        tandem: loads.health.requestsPerSecond,
        baseline: result.requestsPerSecond,
      })
    }
  }

  if (has('queue')) {
    say(
      `queue: ${number(config.queue.jobs)} no-op jobs through node ace queue:work, then through a bare BullMQ worker`
    )
    const outcome = await queueBenchmark({ config: config.queue, env, fromSource, progress })
    clearLine()
    if ('skipped' in outcome) {
      console.log(`      skipped: ${outcome.skipped}`)
      results.queue = outcome
    } else {
      printQueueTable(outcome)
      results.queue = outcome
      summary.push({
        part: 'queue',
        what: 'no-op jobs (BullMQ)',
        unit: 'jobs/s',
        tandem: outcome.tandem.jobsPerSecond,
        baseline: outcome.baseline.jobsPerSecond,
      })
    }
  }

  if (has('credits')) {
    const outcome = await creditsBenchmark({
      env,
      workDir,
      fromSource,
      companies: config.companies,
      batch: config.creditsBatch,
      databases: config.creditsDatabases,
      say,
      load: async (label, server, path, extra) => {
        const result = await runLoad(label, server, path, {}, extra)
        clearLine()
        return result
      },
    })
    for (const problem of outcome.skipped) console.log(`      skipped: ${problem}`)
    for (const run of outcome.runs) {
      console.log(`      ${run.database}: ${run.audit}`)
      printHttpTable(
        `POST /api/v1/credits/consume on ${run.database}, one hot company`,
        run.tandem.hot,
        run.baseline.hot
      )
      printHttpTable(
        `POST /api/v1/credits/consume on ${run.database}, spread over ${number(run.companies)} companies`,
        run.tandem.spread,
        run.baseline.spread
      )
      printHttpTable(
        `POST /api/v1/credits/consume/batch on ${run.database}, ${run.batch} consumes per request, spread over ${number(run.companies)} companies (consumes/s = req/s × ${run.batch})`,
        run.tandem.batched,
        run.baseline.batched
      )
      printHttpTable(
        `The same, each request with its own Idempotency-Key (the baseline ignores it)`,
        run.tandem.keyed,
        run.baseline.keyed
      )
      summary.push(
        {
          part: 'credits',
          what: `consume, hot company, ${run.database}`,
          unit: 'req/s',
          tandem: run.tandem.hot.requestsPerSecond,
          baseline: run.baseline.hot.requestsPerSecond,
          aim: { rate: 2000 },
        },
        {
          part: 'credits',
          what: `consume, ${number(run.companies)} companies, ${run.database}`,
          unit: 'req/s',
          tandem: run.tandem.spread.requestsPerSecond,
          baseline: run.baseline.spread.requestsPerSecond,
          aim: { rate: 10_000 },
        },
        {
          part: 'credits',
          what: `consume, ${number(run.companies)} companies, batches of ${run.batch}, ${run.database}`,
          unit: 'consumes/s',
          tandem: run.tandem.batched.requestsPerSecond * run.batch,
          baseline: run.baseline.batched.requestsPerSecond * run.batch,
          aim: { rate: 10_000 },
        },
        {
          part: 'credits',
          what: `consume, ${number(run.companies)} companies, batches of ${run.batch} with keys, ${run.database}`,
          unit: 'consumes/s',
          tandem: run.tandem.keyed.requestsPerSecond * run.batch,
          baseline: run.baseline.keyed.requestsPerSecond * run.batch,
          aim: { rate: 10_000 },
        }
      )
    }
    results.credits = outcome
  }

  if (has('telemetry')) {
    const outcome = await telemetryBenchmark({
      env,
      workDir,
      fromSource,
      durationSeconds: config.durationSeconds,
      warmupSeconds: config.warmupSeconds,
      lanes: config.telemetryLanes,
      databases: config.telemetryDatabases,
      events: config.telemetryEvents,
      say,
    })
    for (const problem of outcome.skipped) console.log(`      skipped: ${problem}`)
    for (const run of outcome.runs) {
      console.log(`POST /api/v1/telemetry/batch (100 events) on ${run.database}`)
      const side = (name: string, r: any) => [
        name,
        number(r.eventsPerSecond),
        number(r.requestsPerSecond),
        r.latencyMs.p50.toFixed(2),
        r.latencyMs.p99.toFixed(2),
        String(r.errors),
        r.serverCpu === null ? '-' : `${r.serverCpu}%`,
        r.cpuMicrosPerEvent === null ? '-' : r.cpuMicrosPerEvent.toFixed(1),
        `${r.clientCpu}%`,
        r.databaseCpu === null ? '-' : `${r.databaseCpu}%`,
      ]
      const ratios = (tandem: IngestResult, baseline: IngestResult, label: string) => [
        label,
        `${ratio(tandem.eventsPerSecond, baseline.eventsPerSecond)}x`,
        '',
        '',
        '',
        '',
        '',
        tandem.cpuMicrosPerEvent && baseline.cpuMicrosPerEvent
          ? `${ratio(tandem.cpuMicrosPerEvent, baseline.cpuMicrosPerEvent)}x`
          : '',
        '',
        '',
      ]
      printRows([
        [
          'lanes',
          'events/s',
          'batches/s',
          'p50 ms',
          'p99 ms',
          'errors',
          'server CPU',
          'CPU µs/event',
          'load gen CPU',
          'database CPU',
        ],
        ...run.sweep.flatMap((level) => [
          side(`${level.lanes}  Tandem`, level.tandem),
          side(`${level.lanes}  baseline`, level.baseline),
          ratios(level.tandem, level.baseline, `${level.lanes}  Tandem/baseline`),
        ]),
        ...(run.sweep.length > 1
          ? [
              side(`best  Tandem (${run.tandem.lanes})`, run.tandem),
              side(`best  baseline (${run.baseline.lanes})`, run.baseline),
              ratios(run.tandem, run.baseline, 'best  Tandem/baseline'),
            ]
          : []),
      ])
      if (run.queries) {
        console.log(
          `Dashboard queries on ${run.database} over ${number(run.queries.events)} events (seeded in ${run.queries.seedSeconds.toFixed(0)} s), median of 5`
        )
        printRows([
          ['query', 'ms', 'aim'],
          ...run.queries.results.map((q) => [
            q.query,
            q.ms.toFixed(1),
            q.ms < 200 ? '< 200 ms (met)' : '< 200 ms (not met)',
          ]),
        ])
      }
      summary.push({
        part: 'telemetry',
        what: `ingest, batches of 100 (UUID${ID_FORMAT} ids), ${run.database}${run.sweep.length > 1 ? `, best of ${run.sweep.map((level) => level.lanes).join('/')} lanes` : ''}`,
        unit: 'events/s',
        tandem: run.tandem.eventsPerSecond,
        baseline: run.baseline.eventsPerSecond,
        /* The aim asks for durable commits: SQLite's default (NORMAL) is not durable to a power cut. */
        aim:
          run.database === 'SQLite'
            ? { rate: 50_000, note: 'reached, but not durable to a power cut' }
            : { rate: 50_000 },
      })
    }
    results.telemetry = outcome
    const refused = outcome.runs.filter((run) => run.tandem.errors + run.baseline.errors > 0)
    if (refused.length) {
      console.error(`Telemetry batches failed on ${refused.map((run) => run.database).join(', ')}`)
      process.exitCode = 1
    }
  }

  if (has('rooms')) await roomsPart(results, summary)
  if (has('billing')) await billingPart(results, summary)
  if (has('files')) await filesPart(results, summary)

  console.log('Summary (Tandem beside its baseline, same run)')
  printRows([
    ['', 'Tandem', 'baseline', 'ratio', 'aim'],
    ...summary.map((row) => {
      const value = ratio(row.tandem, row.baseline)
      return [
        `${row.what} ${row.unit}`,
        number(row.tandem),
        number(row.baseline),
        `${value}x`,
        aimText(row.aim ?? AIMS[row.part], row.tandem, value),
      ]
    }),
  ])

  const file = join(ROOT, 'benchmarks', 'results', 'latest.json')
  await mkdir(join(ROOT, 'benchmarks', 'results'), { recursive: true })
  await writeFile(
    file,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        machine: {
          cpus: cpus().length,
          cpuModel: cpus()[0]?.model ?? null,
          node: process.version,
          platform: process.platform,
        },
        config,
        ...results,
        summary: summary.map((row) => ({
          ...row,
          ratio: ratio(row.tandem, row.baseline),
          aim: row.aim ?? AIMS[row.part],
        })),
      },
      null,
      2
    )}\n`
  )
  console.log(`Results written to ${relative(ROOT, file)}`)

  const failed = [
    results.api,
    results.health,
    ...(results.credits?.runs ?? []).flatMap((run: any) => [
      { tandem: run.tandem.hot, baseline: run.baseline.hot },
      { tandem: run.tandem.spread, baseline: run.baseline.spread },
      { tandem: run.tandem.batched, baseline: run.baseline.batched },
      { tandem: run.tandem.keyed, baseline: run.baseline.keyed },
    ]),
  ]
    .filter(Boolean)
    .flatMap((result) => [result.tandem, result.baseline])
    .filter((result: LoadResult) => result.errors > 0)
  if (failed.length) {
    console.error(
      `Some requests failed (${failed.map((result: LoadResult) => JSON.stringify(result.statuses)).join(', ')}): the numbers above are not comparable.`
    )
    process.exitCode = 1
  }
}

async function roomsPart(results: Record<string, any>, summary: any[]) {
  const outcome = await roomsBenchmark({
    env,
    workDir,
    fromSource,
    durationSeconds: config.durationSeconds,
    sockets: config.roomsSockets,
    say,
    progress,
  })
  clearLine()
  const { tandem, baseline } = outcome
  const mib = (value: number | null) => (value === null ? 'n/a' : number(value))
  console.log(
    `Rooms: ${number(tandem.sockets)} sockets in ${number(outcome.rooms)} rooms of ${outcome.roomSize}`
  )
  const row = (name: string, r: typeof tandem) => [
    name,
    `${number(r.sockets)}${r.failed ? ` (${r.failed} failed)` : ''}`,
    r.connectSeconds.toFixed(1),
    `${mib(r.idleRssMiB)} → ${mib(r.rssMiB)}`,
    number(r.saturated.deliveredPerSecond),
    `${r.saturated.latencyMs.p50.toFixed(1)} / ${r.saturated.latencyMs.p99.toFixed(1)}`,
    number(r.paced.deliveredPerSecond),
    `${r.paced.latencyMs.p50.toFixed(1)} / ${r.paced.latencyMs.p99.toFixed(1)}`,
    String(r.saturated.errors + r.paced.errors),
  ]
  printRows([
    [
      '',
      'sockets',
      'connect s',
      'RSS MiB idle → held',
      'saturated msg/s',
      'p50/p99 ms',
      'paced msg/s',
      'p50/p99 ms',
      'errors',
    ],
    row('Tandem', tandem),
    row('baseline', baseline),
  ])
  const held = tandem.rssMiB !== null && tandem.sockets >= 5000
  console.log(
    `  aims: 5,000 sockets under 1 GiB ${held ? (tandem.rssMiB! < 1024 ? '(met)' : '(not met)') : '(not measured at 5,000)'}; ` +
      `20,000 delivered/s ${tandem.saturated.deliveredPerSecond >= 20_000 ? '(met)' : '(not met)'}; ` +
      `p99 < 100 ms paced ${tandem.paced.latencyMs.p99 < 100 ? '(met)' : '(not met)'}`
  )
  summary.push({
    part: 'rooms',
    what: 'messages delivered to rooms of 10, saturated',
    unit: 'msg/s',
    tandem: tandem.saturated.deliveredPerSecond,
    baseline: baseline.saturated.deliveredPerSecond,
    aim: { rate: 20_000 },
  })
  results.rooms = outcome
  if (tandem.failed || tandem.saturated.errors + tandem.paced.errors || baseline.failed) {
    console.error('Rooms: some sockets failed to connect or some messages were refused')
    process.exitCode = 1
  }
}

async function billingPart(results: Record<string, any>, summary: any[]) {
  const outcome = await billingBenchmark({
    env,
    workDir,
    fromSource,
    connections: config.connections,
    events: config.webhookEvents,
    say,
  })
  const { tandem, baseline, verification } = outcome
  console.log(
    `POST /webhooks/stripe: ${number(tandem.events)} invoice.paid events, ${config.connections} connections`
  )
  const row = (name: string, r: typeof tandem) => [
    name,
    number(r.events / r.seconds),
    r.latencyMs.p50.toFixed(1),
    r.latencyMs.p99.toFixed(1),
    r.latencyMs.max.toFixed(1),
    String(r.errors),
  ]
  printRows([
    ['', 'events/s', 'p50 ms', 'p99 ms', 'max ms', 'errors'],
    row('Tandem (stored + applied)', tandem),
    row('baseline (signature only)', baseline),
  ])
  console.log(
    `  signature verification alone: p50 ${verification.p50Us.toFixed(0)} µs, p99 ${verification.p99Us.toFixed(0)} µs per event; ` +
      `aim p99 < 250 ms ${tandem.latencyMs.p99 < 250 ? '(met)' : '(not met)'}`
  )
  summary.push({
    part: 'billing',
    what: 'webhook events acknowledged',
    unit: 'events/s',
    tandem: tandem.events / tandem.seconds,
    baseline: baseline.events / baseline.seconds,
  })
  results.billing = outcome
  if (tandem.errors || baseline.errors) {
    console.error('Billing: some webhook deliveries were refused')
    process.exitCode = 1
  }
}

async function filesPart(results: Record<string, any>, summary: any[]) {
  const outcome = await filesBenchmark({
    env,
    workDir,
    fromSource,
    megabytes: config.uploadMegabytes,
    say,
  })
  const { tandem, baseline } = outcome
  console.log(`POST /api/v1/files: one ${number(outcome.megabytes)} MiB file, local disk`)
  const row = (name: string, r: typeof tandem) => [
    name,
    r.mbPerSecond.toFixed(1),
    r.seconds.toFixed(1),
    `${number(r.rssIdleMiB)} → ${number(r.rssPeakMiB)}`,
  ]
  printRows([
    ['', 'MiB/s', 'seconds', 'RSS MiB idle → peak'],
    row('Tandem', tandem),
    row('baseline', baseline),
  ])
  summary.push({
    part: 'files',
    what: `upload of ${number(outcome.megabytes)} MiB`,
    unit: 'MiB/s',
    tandem: tandem.mbPerSecond,
    baseline: baseline.mbPerSecond,
  })
  results.files = outcome
}

let cleaning: Promise<void> | undefined
function cleanup() {
  cleaning ??= (async () => {
    await stopAll()
    await rm(workDir, { recursive: true, force: true })
  })()
  return cleaning
}

/* Ctrl+C also reaches the children (same process group); the failure that follows is expected. */
let interrupted = false
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  process.once(signal, async () => {
    interrupted = true
    if (tty) process.stdout.write('\n')
    console.error(`${signal}: stopping the servers and removing ${workDir}`)
    await cleanup()
    process.exit(code)
  })
}

try {
  await main()
} catch (error: any) {
  if (!interrupted) {
    if (tty) process.stdout.write('\r\x1b[2K')
    console.error(`\nBenchmark failed: ${error?.message ?? error}`)
    process.exitCode = 1
  }
} finally {
  await cleanup()
}
