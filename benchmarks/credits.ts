/*
| The credits part of `npm run bench`: POST /api/v1/credits/consume (1 credit) per second on one
| hot company and spread over many companies, on SQLite and on PostgreSQL, Tandem beside
| baseline_credits.ts (bare node:http doing the conditional update on the same database).
| The aims (issue 4) are absolute: ≥ 2,000/s hot, ≥ 10,000/s spread, on the 2-core dev machine.
| Then the spread load again through POST /api/v1/credits/consume/batch, BENCH_CREDITS_BATCH
| (100) consumes of 1 credit per request, as desktops syncing offline use send them, without and
| then with an Idempotency-Key per request; the baseline does the same conditional update per
| item, one transaction per request (it ignores the key). Its rate is reported in consumes per
| second (requests × batch size).
*/
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import { createRequire } from 'node:module'
import { ace, runScript, startServer, type Env, type Server } from './processes.js'
import type { LoadJob, LoadResult } from './load.js'

export type CreditsLoad = (
  label: string,
  server: Server,
  path: string,
  extra: Partial<LoadJob>
) => Promise<LoadResult>

export type CreditsRun = {
  database: string
  companies: number
  /* Consumes per batch request in the `batched` loads. */
  batch: number
  tandem: { hot: LoadResult; spread: LoadResult; batched: LoadResult; keyed: LoadResult }
  baseline: { hot: LoadResult; spread: LoadResult; batched: LoadResult; keyed: LoadResult }
  audit: string
}

const PATH = '/api/v1/credits/consume'
const BATCH_PATH = '/api/v1/credits/consume/batch'
const BODY = { amount: 1, reason: 'bench' }

export type Target = { name: string; env: Env; drop?: () => Promise<void> }

/* A throw-away PostgreSQL database, or why there is none. */
export async function postgres(base: Env): Promise<Target | string> {
  const { Client } = createRequire(import.meta.url)('pg')
  const server = {
    host: process.env.BENCH_PG_HOST || '127.0.0.1',
    port: Number(process.env.BENCH_PG_PORT || 5432),
    user: process.env.BENCH_PG_USER || 'postgres',
    password: process.env.BENCH_PG_PASSWORD || undefined,
  }
  const name = `tandem_bench_${randomUUID().slice(0, 8)}`
  const admin = new Client({ ...server, database: 'postgres', connectionTimeoutMillis: 2000 })
  try {
    await admin.connect()
    await admin.query(`CREATE DATABASE ${name}`)
  } catch (error: any) {
    return `PostgreSQL at ${server.host}:${server.port} (user ${server.user}): ${error.message}; set BENCH_PG_HOST/PORT/USER/PASSWORD`
  } finally {
    await admin.end().catch(() => {})
  }
  return {
    name: 'PostgreSQL',
    env: {
      ...base,
      DB_CONNECTION: 'pg',
      DB_HOST: server.host,
      DB_PORT: String(server.port),
      DB_USER: server.user,
      ...(server.password ? { DB_PASSWORD: server.password } : {}),
      DB_DATABASE: name,
    },
    async drop() {
      const client = new Client({ ...server, database: 'postgres' })
      await client.connect()
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await client.end()
    },
  }
}

export async function creditsBenchmark(options: {
  env: Env
  workDir: string
  fromSource: boolean
  companies: number
  batch: number
  databases: Array<'sqlite' | 'pg'>
  load: CreditsLoad
  say: (message: string) => void
}) {
  const runs: CreditsRun[] = []
  const skipped: string[] = []
  const sqlite: Target = {
    name: 'SQLite',
    env: { ...options.env, SQLITE_PATH: join(options.workDir, 'credits.sqlite3') },
  }
  const pg = options.databases.includes('pg') ? await postgres(options.env) : null
  const targets = [
    ...(options.databases.includes('sqlite') ? [sqlite] : []),
    ...(pg && typeof pg !== 'string' ? [pg] : []),
  ]
  if (typeof pg === 'string') skipped.push(pg)

  for (const target of targets) {
    try {
      runs.push(await measure(target, options))
    } finally {
      await target.drop?.()
    }
  }
  return { runs, skipped }
}

async function measure(
  target: Target,
  options: Parameters<typeof creditsBenchmark>[0]
): Promise<CreditsRun> {
  const env = { ...target.env, QUEUE_IN_PROCESS: 'false' }
  options.say(
    `credits on ${target.name}: migrating, seeding ${options.companies.toLocaleString('en-US')} companies with a token and a billion credits each`
  )
  await ace(['migration:run', '--force'], env)
  const seeded = await runScript(
    options.fromSource ? 'benchmarks/credits_seed.ts' : 'build/benchmarks/credits_seed.js',
    { ...env, BENCH_SEED_COMPANIES: String(options.companies) }
  )
  const { tokens } = JSON.parse(seeded.trim().split('\n').at(-1)!) as { tokens: string[] }

  const consumeOnce = async (server: Server) => {
    const response = await fetch(server.url + PATH, {
      method: 'POST',
      headers: { 'authorization': `Bearer ${tokens[0]}`, 'content-type': 'application/json' },
      body: JSON.stringify(BODY),
    })
    const body = (await response.json()) as any
    if (
      response.status !== 201 ||
      !['transactionId', 'balance', 'available'].every((key) => key in body)
    )
      throw new Error(
        `${server.name} answered ${response.status} ${JSON.stringify(body)} to a consume`
      )
  }
  const answers = (url: string) =>
    fetch(url + PATH, { method: 'POST' }).then((r) => r.status === 401)
  const batchBody = { consumes: Array.from({ length: options.batch }, () => BODY) }
  /* A batch answered 200 must have applied every item (a billion credits each: none refused). */
  const batchOnce = async (server: Server) => {
    const response = await fetch(server.url + BATCH_PATH, {
      method: 'POST',
      headers: {
        'authorization': `Bearer ${tokens[1] ?? tokens[0]}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(batchBody),
    })
    const body = (await response.json()) as any
    if (
      response.status !== 200 ||
      body.consumed !== options.batch ||
      body.results?.length !== options.batch
    )
      throw new Error(
        `${server.name} answered ${response.status} ${JSON.stringify(body).slice(0, 300)} to a batch`
      )
  }
  const loads = async (label: string, server: Server) => {
    const common = { method: 'POST' as const, body: BODY, okStatus: 201 }
    const hot = await options.load(`${label} hot`, server, PATH, { ...common, tokens: [tokens[0]] })
    const spread = await options.load(`${label} spread`, server, PATH, { ...common, tokens })
    await batchOnce(server)
    const batchLoad = { method: 'POST' as const, body: batchBody, okStatus: 200, tokens }
    const batched = await options.load(
      `${label} batches of ${options.batch}`,
      server,
      BATCH_PATH,
      batchLoad
    )
    /* As docs/api.md asks clients to send them: each with its own Idempotency-Key. */
    const keyed = await options.load(
      `${label} batches of ${options.batch} with Idempotency-Key`,
      server,
      BATCH_PATH,
      { ...batchLoad, idempotencyKeys: true }
    )
    return { hot, spread, batched, keyed }
  }

  const entry = options.fromSource ? 'bin/server.ts' : 'build/bin/server.js'
  options.say(`credits on ${target.name}: Tandem (${entry}), one hot company, then all of them`)
  const tandem = await startServer('Tandem', entry, env, answers)
  await consumeOnce(tandem)
  const tandemResults = await loads('Tandem', tandem)
  await tandem.stop()
  /* What Tandem wrote must hold up (the baseline writes entries without grants, so before it). */
  const auditOutput = await ace(['credits:audit'], env)
  const audit = auditOutput.trim().split('\n').at(-1)!

  options.say(`credits on ${target.name}: baseline (benchmarks/baseline_credits.ts), same database`)
  const baseline = await startServer('baseline', 'benchmarks/baseline_credits.ts', env, answers)
  await consumeOnce(baseline)
  const baselineResults = await loads('baseline', baseline)
  await baseline.stop()

  return {
    database: target.name,
    companies: options.companies,
    batch: options.batch,
    tandem: tandemResults,
    baseline: baselineResults,
    audit,
  }
}
