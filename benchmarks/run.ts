/*
| `npm run bench`: throughput and latency of an authenticated public-API request in Tandem
| (GET /api/v1/me with a bearer token), next to a bare node:http baseline doing the same work
| (benchmarks/baseline_server.ts) on the same SQLite file, measured in the same run.
|
|   npm run bench
|   BENCH_DURATION=5 BENCH_CONNECTIONS=32 npm run bench
|   npm run bench -- --duration 5 --connections 32 --warmup 2
|
| Prints a table with the ratio Tandem/baseline and writes benchmarks/results/latest.json.
| See benchmarks/README.md for how to read it.
*/
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { cpus, tmpdir } from 'node:os'
import { join, relative, resolve as resolvePath } from 'node:path'
import { isDeepStrictEqual, parseArgs } from 'node:util'
import { randomUUID } from 'node:crypto'
import { ace, forkTs, ROOT, startServer, stopAll, tandemEnv, type Server } from './processes.js'
import type { LoadJob, LoadMessage, LoadResult } from './load.js'

const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string' },
    connections: { type: 'string' },
    warmup: { type: 'string' },
    client: { type: 'string' },
  },
})

function option(flag: string | undefined, envName: string, fallback: number) {
  const raw = flag ?? process.env[envName]
  const value = raw === undefined || raw === '' ? fallback : Number(raw)
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${envName} (or --${envName.slice(6).toLowerCase()}) must be a positive number`)
  return value
}

function readConfig() {
  const client = flags.client ?? process.env.BENCH_CLIENT ?? 'net'
  if (client !== 'net' && client !== 'http')
    throw new Error('BENCH_CLIENT (or --client) must be net or http')
  return {
    durationSeconds: option(flags.duration, 'BENCH_DURATION', 10),
    warmupSeconds: option(flags.warmup, 'BENCH_WARMUP', 2),
    connections: Math.round(option(flags.connections, 'BENCH_CONNECTIONS', 16)),
    client: client as LoadJob['client'],
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
const PATH = '/api/v1/me'
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

const steps = process.env.BENCH_SOURCE ? 6 : 7
let step = 0
const say = (message: string) => console.log(`[${++step}/${steps}] ${message}`)
const number = (value: number) => Math.round(value).toLocaleString('en-US')

/* Runs the load generator in its own process and shows its progress once a second. */
function runLoad(label: string, server: Server, token: string) {
  const job: LoadJob = {
    url: server.url + PATH,
    headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    connections: config.connections,
    warmupMs: config.warmupSeconds * 1000,
    durationMs: config.durationSeconds * 1000,
    client: config.client,
    serverPid: server.pid,
  }
  const child = forkTs(join(ROOT, 'benchmarks', 'load.ts'), {
    ...process.env,
    BENCH_LOAD: JSON.stringify(job),
  } as Record<string, string>)

  return new Promise<LoadResult>((resolve, reject) => {
    let settled = false
    const clearLine = () => tty && process.stdout.write('\r\x1b[2K')
    child.on('message', (message: LoadMessage) => {
      if (message.type === 'progress') {
        const total = message.phase === 'warmup' ? config.warmupSeconds : config.durationSeconds
        const line = `      ${label}: ${message.phase === 'warmup' ? 'warm-up' : 'measuring'} ${Math.min(
          total,
          Math.round(message.elapsedMs / 1000)
        )}/${total} s, ${number(message.requestsPerSecond)} req/s`
        if (tty) process.stdout.write(`\r\x1b[2K${line}`)
        else console.log(line)
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

async function getMe(server: Server, token: string) {
  const response = await fetch(server.url + PATH, { headers: { authorization: `Bearer ${token}` } })
  const text = await response.text()
  if (response.status !== 200)
    throw new Error(`${server.name} answered ${response.status} to GET ${PATH}:\n${text}`)
  return JSON.parse(text)
}

/* The baseline is only a baseline if it answers exactly what Tandem answers (the token's
   lastUsedAt aside, which is "now"). */
function assertSameBody(tandem: any, baseline: any) {
  const masked = (body: any) => ({
    ...body,
    token: { ...body.token, lastUsedAt: typeof body.token?.lastUsedAt },
  })
  if (!isDeepStrictEqual(masked(tandem), masked(baseline)))
    throw new Error(
      `the baseline's response differs from Tandem's:\n  Tandem:   ${JSON.stringify(tandem)}\n  baseline: ${JSON.stringify(baseline)}`
    )
}

const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 100) / 100 : null)

function printTable(tandem: LoadResult, baseline: LoadResult) {
  const rows = [
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
  ]
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

async function main() {
  console.log(
    `Tandem vs bare node:http, GET ${PATH} with a bearer token: ${config.connections} connections, ` +
      `${config.warmupSeconds} s warm-up + ${config.durationSeconds} s measured per server, ${config.client} client (${cpus().length} CPUs, Node ${process.version})`
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

  /* What production runs: the build. BENCH_SOURCE=1 measures the TypeScript sources instead. */
  const fromSource = Boolean(process.env.BENCH_SOURCE)
  if (!fromSource) {
    say('Tandem: building (node ace build)')
    await ace(['build'], { ...process.env, NODE_ENV: 'development' } as any)
  }
  const entry = fromSource ? 'bin/server.ts' : 'build/bin/server.js'
  say(`Tandem: starting ${entry} (production mode), issuing a token`)
  /* Up means routed and guarded: an anonymous GET /api/v1/me is refused with a 401. */
  const answers401 = async (url: string) => {
    const response = await fetch(url + PATH)
    return response.status === 401
  }
  const tandem = await startServer('Tandem', entry, env, answers401)
  const issued = await fetch(`${tandem.url}/api/v1/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'accept': 'application/json' },
    body: JSON.stringify({ email: EMAIL, password: PASSWORD, deviceName: 'bench' }),
  })
  if (issued.status !== 201)
    throw new Error(`POST /api/v1/auth/tokens answered ${issued.status}: ${await issued.text()}`)
  const { token } = (await issued.json()) as { token: string }
  const tandemBody = await getMe(tandem, token)

  say('Tandem: load')
  const tandemResult = await runLoad('Tandem', tandem, token)
  await tandem.stop()

  say('baseline: starting benchmarks/baseline_server.ts on the same database')
  const baseline = await startServer('baseline', 'benchmarks/baseline_server.ts', env, answers401)
  assertSameBody(tandemBody, await getMe(baseline, token))

  say('baseline: load')
  const baselineResult = await runLoad('baseline', baseline, token)
  await baseline.stop()

  printTable(tandemResult, baselineResult)

  const results = {
    date: new Date().toISOString(),
    request: `GET ${PATH} (bearer token, user ${created.userId}, company ${created.companyId})`,
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? null,
      node: process.version,
      platform: process.platform,
    },
    config,
    tandem: tandemResult,
    baseline: baselineResult,
    ratio: {
      requestsPerSecond: ratio(tandemResult.requestsPerSecond, baselineResult.requestsPerSecond),
      p50: ratio(tandemResult.latencyMs.p50, baselineResult.latencyMs.p50),
      p99: ratio(tandemResult.latencyMs.p99, baselineResult.latencyMs.p99),
    },
  }
  const resultsFile = join(ROOT, 'benchmarks', 'results', 'latest.json')
  await mkdir(join(ROOT, 'benchmarks', 'results'), { recursive: true })
  await writeFile(resultsFile, `${JSON.stringify(results, null, 2)}\n`)
  console.log(`Results written to ${relative(ROOT, resultsFile)}`)

  if (tandemResult.errors || baselineResult.errors) {
    console.error(
      `Some requests failed (Tandem ${JSON.stringify(tandemResult.statuses)}, baseline ${JSON.stringify(baselineResult.statuses)}): the numbers above are not comparable.`
    )
    for (const server of [tandem, baseline])
      if (server.output().trim())
        console.error(`\n${server.name} output (end):\n${server.output().slice(-2000)}`)
    process.exitCode = 1
  }
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
