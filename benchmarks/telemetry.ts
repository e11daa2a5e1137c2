/*
| The telemetry part of `npm run bench`: events per second through POST /api/v1/telemetry/batch
| in batches of 100, on SQLite and on PostgreSQL, Tandem beside baseline_telemetry.ts (bare
| node:http doing the same inserts), then the dashboard queries over BENCH_TELEMETRY_EVENTS
| stored events (telemetry_queries.ts). The aims (issue 5): ≥ 50,000 events/s, queries < 200 ms.
|
| Every request carries fresh event ids, so the load is generated here: lanes, each sending a
| batch and waiting for the 202 before the next (closed loop, one raw keep-alive socket each).
| The load is swept over several lane counts (BENCH_TELEMETRY_LANES, default 16, 32, 64) on one
| server start per side: a closed loop of a few lanes measures latency, not capacity (at 16 lanes
| on PostgreSQL neither the server nor the database was busy; desktops do not wait for each
| other), so each side's rate is its best level, reported with its lanes and p99. After each
| level the stored rows must equal the events answered 202 (warm-up included), or the part fails.
*/
import { join } from 'node:path'
import { randomBytes, randomUUID } from 'node:crypto'
import { createHistogram } from 'node:perf_hooks'
import { createRequire } from 'node:module'
import { ace, runScript, startServer, type Env } from './processes.js'
import { connect, type Socket } from 'node:net'
import { cpuPercent, postgresTicks, processTicks } from './proc.js'
import { completeResponse, responseBody } from './http_response.js'
import { postgres, type Target } from './credits.js'

const PATH = '/api/v1/telemetry/batch'
const BATCH = 100

/*
| Event ids as docs/api.md asks clients to make them: UUIDv7 (48-bit milliseconds, version 7,
| a 12-bit counter, the variant, 62 random bits), so ids arrive in time order and land at the
| end of the unique index. BENCH_TELEMETRY_IDS=v4 sends random v4 ids instead: every insert
| then touches a random page of that index (the worst case, measured in benchmarks/README.md).
*/
export const ID_FORMAT = process.env.BENCH_TELEMETRY_IDS === 'v4' ? 'v4' : 'v7'
let counter = 0
/* `count` ids; the random bits of all of them drawn at once. */
function uuidv7s(count: number) {
  const time = Date.now().toString(16).padStart(12, '0')
  const prefix = `${time.slice(0, 8)}-${time.slice(8)}-7`
  const random = randomBytes(8 * count)
  for (let i = 0; i < count; i++) random[i * 8] = (random[i * 8] & 0x3f) | 0x80
  const hex = random.toString('hex')
  return Array.from({ length: count }, (_, i) => {
    const tail = hex.slice(i * 16, i * 16 + 16)
    const sequence = (counter++ & 0xfff).toString(16).padStart(3, '0')
    return `${prefix}${sequence}-${tail.slice(0, 4)}-${tail.slice(4)}`
  })
}
const eventIds = (count: number) =>
  ID_FORMAT === 'v4' ? Array.from({ length: count }, () => randomUUID()) : uuidv7s(count)
const INSTALLATIONS = Array.from({ length: 200 }, () => randomUUID())

export type IngestResult = {
  eventsPerSecond: number
  requestsPerSecond: number
  latencyMs: { p50: number; p99: number }
  batches: number
  errors: number
  /* The server process's CPU (all threads) while measuring: % of one core, µs per accepted event. */
  serverCpu: number | null
  /* This process's CPU (the load generator) while measuring, % of one core. */
  clientCpu: number
  /* A local PostgreSQL's CPU (all its processes) while measuring, % of one core; null for SQLite
     (it runs inside the server) and for a server on another host. */
  databaseCpu: number | null
  cpuMicrosPerEvent: number | null
}
/* One load level: Tandem and the baseline driven by the same number of lanes. */
export type LanesResult = { lanes: number; tandem: IngestResult; baseline: IngestResult }
export type TelemetryRun = {
  database: string
  /* Each side's best load level (its highest events/s), with the lanes it took. */
  tandem: IngestResult & { lanes: number }
  baseline: IngestResult & { lanes: number }
  /* Every load level, in the order driven. */
  sweep: LanesResult[]
  /* Null where the dashboards were not timed (the durable SQLite run: same file format). */
  queries: {
    events: number
    seedSeconds: number
    results: Array<{ query: string; ms: number }>
  } | null
}

/*
| A batch: 5% errors, 10% logs, the rest usage events. Built from pieces of JSON made once (the
| text JSON.stringify gives, split where the id and the timestamp go), so that making the load
| costs the load generator little of the CPU it shares with the server on a small machine.
*/
function eventPieces(i: number) {
  const kind = i % 20
  const fields =
    kind === 0
      ? {
          type: 'error',
          name: 'TypeError',
          level: 'error',
          message: `x is undefined (${i})`,
          stack: 'TypeError: x\n    at run (src/app.ts:1:1)',
        }
      : kind <= 2
        ? { type: 'log', level: 'info', name: 'sync', message: 'synced 3 files' }
        : {
            type: 'event',
            name: 'project.opened',
            props: { screen: 'home', files: i },
            sessionId: 's-1',
          }
  const text = JSON.stringify({ id: '<id>', ...fields, timestamp: 1 })
  const [head, rest] = text.split('"<id>"')
  const [middle, tail] = rest.split(/(?<=:)1(?=}$)/)
  return [`${head}"`, `"${middle}`, tail]
}
const PIECES = Array.from({ length: BATCH }, (_, i) => eventPieces(i))
/* `{"installationId":…,"events":[` for each installation. */
const ENVELOPES = INSTALLATIONS.map((installationId) =>
  JSON.stringify({ installationId, appVersion: '1.4.2', platform: 'windows', events: [] }).slice(
    0,
    -2
  )
)

export function body(seq: number) {
  const now = Date.now()
  const ids = eventIds(BATCH)
  let text = ENVELOPES[seq % ENVELOPES.length]
  for (let i = 0; i < BATCH; i++) {
    const [head, middle, tail] = PIECES[i]
    text += `${i ? ',' : ''}${head}${ids[i]}${middle}${now}${tail}`
  }
  return `${text}]}`
}

const parsed = (text: string) => {
  try {
    return JSON.parse(text) as { accepted: number }
  } catch {
    return null
  }
}

/*
| One keep-alive connection of a lane: a raw socket, one request at a time, the answer read with
| http_response.ts. A closed or failed socket fails the request in flight and is opened again
| for the next one.
*/
function laneConnection(url: string) {
  const target = new URL(url)
  let socket: Socket | null = null
  let buffer: Buffer | null = null
  let waiting: {
    resolve: (r: { status: number; body: string }) => void
    reject: (e: Error) => void
  } | null = null
  /* Only the lane's current socket fails its request: an old one's late `close` does nothing. */
  const fail = (failed: Socket, error: Error) => {
    if (socket !== failed) return
    socket = null
    buffer = null
    waiting?.reject(error)
    waiting = null
  }
  const open = () =>
    new Promise<Socket>((resolve, reject) => {
      const opened = connect(Number(target.port || 80), target.hostname)
      opened.setNoDelay(true)
      opened.once('connect', () => resolve(opened))
      opened.once('error', reject)
      opened.on('data', (chunk: Buffer) => {
        buffer = buffer ? Buffer.concat([buffer, chunk]) : chunk
        const length = completeResponse(buffer)
        if (!length || !waiting) return
        const status = Number(buffer.toString('latin1', 9, 12))
        const text = responseBody(buffer, length)
        buffer = buffer.length > length ? buffer.subarray(length) : null
        const done = waiting
        waiting = null
        done.resolve({ status, body: text })
      })
      opened.on('error', (error) => fail(opened, error))
      opened.on('close', () => fail(opened, new Error('connection closed')))
    })
  return {
    host: target.host,
    async send(request: string) {
      socket ??= await open()
      const current = socket
      return new Promise<{ status: number; body: string }>((resolve, reject) => {
        waiting = { resolve, reject }
        current.write(request)
      })
    },
    close() {
      socket?.destroy()
    },
  }
}

async function drive(
  server: { url: string; pid: number | undefined },
  token: string,
  seconds: number,
  warmup: number,
  lanes: number,
  databaseTicks: () => number | null
) {
  const url = server.url
  const histogram = createHistogram()
  let accepted = 0
  /* Every event answered 202, the warm-up's too: all of them must be stored. */
  let acknowledged = 0
  let batches = 0
  let errors = 0
  let measuring = false
  let seq = 0
  const stopAt = Date.now() + (warmup + seconds) * 1000
  setTimeout(() => (measuring = true), warmup * 1000).unref()
  let measuredFrom = 0
  let ticksFrom: number | null = null
  let databaseTicksFrom: number | null = null
  let clientCpuFrom = process.cpuUsage()
  const lane = async () => {
    const connection = laneConnection(url)
    try {
      while (Date.now() < stopAt) {
        const started = process.hrtime.bigint()
        const payload = body(seq++)
        const response = await connection
          .send(
            `POST ${PATH} HTTP/1.1\r\nhost: ${connection.host}\r\nconnection: keep-alive\r\n` +
              `authorization: Bearer ${token}\r\ncontent-type: application/json\r\n` +
              `content-length: ${Buffer.byteLength(payload)}\r\n\r\n${payload}`
          )
          .catch(() => null)
        const answer = response?.status === 202 ? parsed(response.body) : null
        acknowledged += answer?.accepted ?? 0
        if (!measuring) continue
        if (!measuredFrom) {
          measuredFrom = Date.now()
          ticksFrom = processTicks(server.pid)
          databaseTicksFrom = databaseTicks()
          clientCpuFrom = process.cpuUsage()
        }
        if (answer) {
          accepted += answer.accepted
          batches++
          histogram.record(Number(process.hrtime.bigint() - started) || 1)
        } else errors++
      }
    } finally {
      connection.close()
    }
  }
  await Promise.all(Array.from({ length: lanes }, lane))
  const elapsed = (Date.now() - measuredFrom) / 1000
  const clientCpu = process.cpuUsage(clientCpuFrom)
  const ticksTo = processTicks(server.pid)
  const serverCpu = cpuPercent(ticksFrom, ticksTo, elapsed * 1000)
  const databaseCpu = cpuPercent(databaseTicksFrom, databaseTicks(), elapsed * 1000)
  return {
    acknowledged,
    result: {
      eventsPerSecond: accepted / elapsed,
      requestsPerSecond: batches / elapsed,
      latencyMs: { p50: histogram.percentile(50) / 1e6, p99: histogram.percentile(99) / 1e6 },
      batches,
      errors,
      serverCpu,
      clientCpu: Math.round((clientCpu.user + clientCpu.system) / 10_000 / elapsed),
      databaseCpu,
      cpuMicrosPerEvent:
        ticksFrom === null || ticksTo === null || !accepted
          ? null
          : ((ticksTo - ticksFrom) * 10_000) / accepted,
    } satisfies IngestResult,
  }
}

async function storedEvents(env: Env) {
  const require = createRequire(import.meta.url)
  if (env.DB_CONNECTION === 'pg') {
    const { Client } = require('pg')
    const client = new Client({
      host: env.DB_HOST,
      port: Number(env.DB_PORT),
      user: env.DB_USER,
      password: env.DB_PASSWORD,
      database: env.DB_DATABASE,
    })
    await client.connect()
    const { rows } = await client.query('SELECT count(*) AS n FROM telemetry_events')
    await client.end()
    return Number(rows[0].n)
  }
  const Database = require('better-sqlite3')
  const db = new Database(env.SQLITE_PATH, { readonly: true })
  const n = db.prepare('SELECT count(*) AS n FROM telemetry_events').get().n
  db.close()
  return Number(n)
}

export async function telemetryBenchmark(options: {
  env: Env
  workDir: string
  fromSource: boolean
  durationSeconds: number
  warmupSeconds: number
  /* Load levels: concurrent lanes (batches in flight), each measured in turn. */
  lanes: number[]
  /* Among `sqlite`, `sqlite-full` (synchronous = FULL) and `pg`, in this order. */
  databases: string[]
  events: number
  say: (message: string) => void
}) {
  const runs: TelemetryRun[] = []
  const skipped: string[] = []
  const sqlite: Target = {
    name: 'SQLite',
    env: { ...options.env, SQLITE_PATH: join(options.workDir, 'telemetry.sqlite3') },
  }
  /*
  | The app's SQLite default (synchronous = NORMAL) survives an app crash, not a power cut. The
  | aim asks for durable commits, so ingestion is measured again with SQLITE_SYNCHRONOUS=full
  | (an fsync of the WAL per commit), Tandem and baseline alike, on a fresh file.
  */
  const durable: Target = {
    name: 'SQLite, synchronous=FULL',
    env: {
      ...options.env,
      SQLITE_PATH: join(options.workDir, 'telemetry-full.sqlite3'),
      SQLITE_SYNCHRONOUS: 'full',
    },
  }
  const pg = options.databases.includes('pg') ? await postgres(options.env) : null
  if (typeof pg === 'string') skipped.push(pg)
  const chosen = new Map<string, Target>([
    ['sqlite', sqlite],
    ['sqlite-full', durable],
  ])
  if (pg && typeof pg !== 'string') chosen.set('pg', pg)
  for (const key of options.databases) {
    const target = chosen.get(key)
    if (!target) continue
    try {
      runs.push(await measure(target, options, target !== durable))
    } finally {
      await target.drop?.()
    }
  }
  return { runs, skipped }
}

async function measure(
  target: Target,
  options: Parameters<typeof telemetryBenchmark>[0],
  timeQueries: boolean
): Promise<TelemetryRun> {
  const env = {
    ...target.env,
    QUEUE_IN_PROCESS: 'false',
    TELEMETRY_RATE_PER_INSTALLATION: '100000000',
    TELEMETRY_RATE_PER_TOKEN: '100000000',
  }
  options.say(`telemetry on ${target.name}: migrating, one company with an ingest token`)
  await ace(['migration:run', '--force'], env)
  const script = (name: string) =>
    options.fromSource ? `benchmarks/${name}.ts` : `build/benchmarks/${name}.js`
  const seeded = await runScript(script('telemetry_seed'), env)
  const { token } = JSON.parse(seeded.trim().split('\n').at(-1)!)
  const local = ['127.0.0.1', 'localhost', '::1'].includes(target.env.DB_HOST ?? '')
  const databaseTicks = target.env.DB_CONNECTION === 'pg' && local ? postgresTicks : () => null
  const answers = (url: string) =>
    fetch(url + PATH, { method: 'POST' }).then((r) => r.status === 401)
  /* One server start per side; each load level gets its own warm-up. */
  const run = async (name: string, entry: string) => {
    const server = await startServer(name, entry, env, answers)
    try {
      const results: IngestResult[] = []
      for (const lanes of options.lanes) {
        const before = await storedEvents(env)
        const { acknowledged, result } = await drive(
          server,
          token,
          options.durationSeconds,
          options.warmupSeconds,
          lanes,
          databaseTicks
        )
        const stored = (await storedEvents(env)) - before
        if (stored !== acknowledged)
          throw new Error(
            `${name} on ${target.name}, ${lanes} lanes: ${acknowledged} events acknowledged but ${stored} stored`
          )
        results.push(result)
      }
      return results
    } finally {
      await server.stop()
    }
  }
  options.say(
    `telemetry on ${target.name}: Tandem, batches of ${BATCH} over ${INSTALLATIONS.length} installations`
  )
  const tandemRuns = await run(
    'Tandem',
    options.fromSource ? 'bin/server.ts' : 'build/bin/server.js'
  )
  options.say(
    `telemetry on ${target.name}: baseline (benchmarks/baseline_telemetry.ts), same database`
  )
  const baselineRuns = await run('baseline', 'benchmarks/baseline_telemetry.ts')
  const sweep = options.lanes.map((lanes, index) => ({
    lanes,
    tandem: tandemRuns[index],
    baseline: baselineRuns[index],
  }))
  const best = (side: 'tandem' | 'baseline') =>
    sweep.reduce((a, b) => (b[side].eventsPerSecond > a[side].eventsPerSecond ? b : a))
  const tandem = { ...best('tandem').tandem, lanes: best('tandem').lanes }
  const baseline = { ...best('baseline').baseline, lanes: best('baseline').lanes }
  if (!timeQueries) return { database: target.name, tandem, baseline, sweep, queries: null }
  options.say(
    `telemetry on ${target.name}: seeding ${options.events.toLocaleString('en-US')} events, timing the dashboard queries`
  )
  const output = await runScript(script('telemetry_queries'), {
    ...env,
    BENCH_TELEMETRY_EVENTS: String(options.events),
  })
  return {
    database: target.name,
    tandem,
    baseline,
    sweep,
    queries: JSON.parse(output.trim().split('\n').at(-1)!),
  }
}
