/*
| Load generator for `npm run bench`, run as its own child process (forked by run.ts) so it never
| shares an event loop with the server it measures.
|
| N keep-alive connections each send one request, wait for the whole response, then send the
| next (a closed loop, like autocannon's default). The warm-up is discarded; the measured phase
| records every latency in a perf_hooks histogram. Anything but a 200 (or the job's okStatus) is an error, and
| so does a connection that fails or closes mid-request.
|
| Two clients (BENCH_CLIENT):
|   net  (default) raw keep-alive sockets writing a prepared request and reading just enough of
|        the response (status line, content-length) to know it is complete. Cheap, so on a
|        small machine it leaves the CPU to the server being measured.
|   http node:http with a keep-alive Agent. About 3x the CPU per request of `net` (measured on
|        the 2-core dev box), which starts to cap the fast baseline; kept for cross-checks.
| Neither pipelines: one request in flight per connection.
|
| Protocol: the job comes in the BENCH_LOAD env (JSON LoadJob); `progress` messages go to the
| parent over IPC once a second, then one `done` (or `failed`).
*/
import { Agent, request } from 'node:http'
import { connect, type Socket } from 'node:net'
import { createHistogram } from 'node:perf_hooks'
import { cpuPercent, processTicks } from './proc.js'
import { completeResponse } from './http_response.js'

export type LoadJob = {
  url: string
  headers: Record<string, string>
  /** GET by default; POST sends `body` as JSON. */
  method?: 'GET' | 'POST'
  body?: unknown
  /** Bearer tokens used in turn, one per request (spreads the load over many accounts). */
  tokens?: string[]
  /** Sends a fresh `Idempotency-Key` with every request (as retry-safe clients do). */
  idempotencyKeys?: boolean
  /** Status counted as success (200 by default). */
  okStatus?: number
  connections: number
  warmupMs: number
  durationMs: number
  client: 'net' | 'http'
  /** The server's pid, to report the CPU it used while measured (Linux only). */
  serverPid?: number
}

export type LoadResult = {
  client: 'net' | 'http'
  requests: number
  errors: number
  statuses: Record<string, number>
  durationMs: number
  requestsPerSecond: number
  latencyMs: { mean: number; p50: number; p90: number; p99: number; max: number }
  /** CPU used by the load generator itself, in % of one core. */
  clientCpuPercent: number
  /** CPU used by the server (all its threads), in % of one core; null where /proc is missing. */
  serverCpuPercent: number | null
}

export type LoadMessage =
  | { type: 'progress'; phase: 'warmup' | 'measure'; elapsedMs: number; requestsPerSecond: number }
  | { type: 'done'; result: LoadResult }
  | { type: 'failed'; message: string }

const job = JSON.parse(process.env.BENCH_LOAD ?? 'null') as LoadJob | null
if (!job || !process.send) {
  console.error('benchmarks/load.ts is started by benchmarks/run.ts (npm run bench)')
  process.exit(1)
}
const send = (message: LoadMessage) =>
  new Promise<void>((resolve) => process.send!(message, undefined, {}, () => resolve()))
const target = new URL(job.url)

const histogram = createHistogram()
let measuring = false
let stopping = false
let warmupRequests = 0
let requests = 0
let errors = 0
const statuses: Record<string, number> = {}
let lastError = ''

function record(status: string, startedAt: bigint) {
  if (!measuring) {
    warmupRequests++
    return
  }
  requests++
  statuses[status] = (statuses[status] ?? 0) + 1
  if (status !== OK) errors++
  else histogram.record(process.hrtime.bigint() - startedAt || 1n)
}

function failed(error: Error, startedAt: bigint) {
  lastError = error.message
  record('socket error', startedAt)
}

/* --- net client ---------------------------------------------------------------------------- */

const method = job.method ?? 'GET'
const bodyText = job.body === undefined ? '' : JSON.stringify(job.body)
const OK = String(job.okStatus ?? 200)

/* Headers of request number n: the fixed ones, plus the next token when tokens rotate. */
function headersFor(n: number): Record<string, string> {
  const headers: Record<string, string> = { ...job!.headers }
  if (job!.tokens?.length) headers.authorization = `Bearer ${job!.tokens[n % job!.tokens.length]}`
  if (bodyText) {
    headers['content-type'] = 'application/json'
    headers['content-length'] = String(Buffer.byteLength(bodyText))
  }
  return headers
}

/*
| Every distinct request prepared once (one per token), then sent in turn; with idempotencyKeys,
| as a head and a tail with the request's own key written between them.
*/
const keyPrefix = `bench-${process.pid}-${Date.now().toString(36)}-`
const rawRequests = Array.from({ length: Math.max(1, job.tokens?.length ?? 1) }, (_, n) => {
  const head = [
    `${method} ${target.pathname}${target.search} HTTP/1.1`,
    `host: ${target.host}`,
    'connection: keep-alive',
    ...Object.entries(headersFor(n)).map(([name, value]) => `${name}: ${value}`),
  ].join('\r\n')
  return {
    whole: Buffer.from(`${head}\r\n\r\n${bodyText}`, 'latin1'),
    head: Buffer.from(`${head}\r\nidempotency-key: `, 'latin1'),
    tail: Buffer.from(`\r\n\r\n${bodyText}`, 'latin1'),
  }
})
let sent = 0
const nextRequest = () => {
  const n = sent++
  const raw = rawRequests[n % rawRequests.length]
  if (!job!.idempotencyKeys) return raw.whole
  return Buffer.concat([raw.head, Buffer.from(keyPrefix + n, 'latin1'), raw.tail])
}
function netConnection(): Promise<void> {
  return new Promise((resolve) => {
    let socket: Socket
    let buffer: Buffer | null = null
    let startedAt = 0n
    let inFlight = false
    let connected = false

    const next = () => {
      if (stopping) {
        socket.destroy()
        return resolve()
      }
      startedAt = process.hrtime.bigint()
      inFlight = true
      socket.write(nextRequest())
    }

    const open = () => {
      buffer = null
      inFlight = false
      connected = false
      startedAt = process.hrtime.bigint()
      socket = connect(Number(target.port || 80), target.hostname)
      socket.setNoDelay(true)
      socket.on('connect', () => {
        connected = true
        next()
      })
      socket.on('data', (chunk: Buffer) => {
        buffer = buffer ? Buffer.concat([buffer, chunk]) : chunk
        const length = completeResponse(buffer)
        if (!length) return
        const status = buffer.toString('latin1', 9, 12)
        buffer = buffer.length > length ? buffer.subarray(length) : null
        inFlight = false
        record(status, startedAt)
        next()
      })
      /* A failed request, or a failed attempt to connect, is an error; a reset of an idle
         connection is not (the close handler reconnects). */
      socket.on('error', (error) => {
        if (inFlight || !connected) failed(error, startedAt)
        inFlight = false
      })
      /* The server closed the connection (or it failed): reconnect, a little later on errors
         so that a dead server does not become a busy loop. */
      socket.on('close', (hadError) => {
        if (inFlight) failed(new Error('connection closed mid-response'), startedAt)
        if (stopping) return resolve()
        setTimeout(open, hadError ? 20 : 0)
      })
    }
    open()
  })
}

/* --- http client --------------------------------------------------------------------------- */

const agent = new Agent({ keepAlive: true, maxSockets: job.connections })
const keyedHeadersFor = (n: number) =>
  job!.idempotencyKeys ? { ...headersFor(n), 'idempotency-key': keyPrefix + n } : headersFor(n)

function httpConnection(): Promise<void> {
  return new Promise((resolve) => {
    const next = () => {
      if (stopping) return resolve()
      const startedAt = process.hrtime.bigint()
      const fail = (error: Error) => {
        failed(error, startedAt)
        setTimeout(next, 20)
      }
      const req = request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname + target.search,
          method,
          headers: keyedHeadersFor(sent++),
        },
        (res) => {
          res.on('data', () => {})
          res.on('end', () => {
            record(String(res.statusCode), startedAt)
            next()
          })
          res.on('error', fail)
        }
      )
      req.on('error', fail)
      req.end(bodyText || undefined)
    }
    next()
  })
}

/* --- run ----------------------------------------------------------------------------------- */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const ms = (ns: number) => Math.round(ns / 1e3) / 1e3

async function main() {
  const startedAt = Date.now()
  let measureStart = 0
  let windowStart = startedAt
  let windowCount = 0

  const ticker = setInterval(() => {
    const now = Date.now()
    const count = measuring ? requests : warmupRequests
    const rate = ((count - windowCount) * 1000) / Math.max(1, now - windowStart)
    windowCount = count
    windowStart = now
    void send({
      type: 'progress',
      phase: measuring ? 'measure' : 'warmup',
      elapsedMs: now - (measuring ? measureStart : startedAt),
      requestsPerSecond: rate,
    })
  }, 1000)

  const connection = job!.client === 'http' ? httpConnection : netConnection
  const connections = Array.from({ length: job!.connections }, () => connection())

  await sleep(job!.warmupMs)
  histogram.reset()
  measuring = true
  measureStart = Date.now()
  windowStart = measureStart
  windowCount = 0
  const cpuStart = process.cpuUsage()
  const serverTicksStart = processTicks(job!.serverPid)

  await sleep(job!.durationMs)
  measuring = false
  const durationMs = Date.now() - measureStart
  const cpu = process.cpuUsage(cpuStart)
  const serverTicksEnd = processTicks(job!.serverPid)
  stopping = true
  clearInterval(ticker)
  await Promise.all(connections)
  agent.destroy()

  if (requests === 0) throw new Error(`no request completed${lastError ? ` (${lastError})` : ''}`)
  const measured = histogram.count > 0
  await send({
    type: 'done',
    result: {
      client: job!.client,
      requests,
      errors,
      statuses,
      durationMs,
      requestsPerSecond: Math.round((requests * 1000) / durationMs),
      latencyMs: {
        mean: measured ? ms(histogram.mean) : 0,
        p50: measured ? ms(histogram.percentile(50)) : 0,
        p90: measured ? ms(histogram.percentile(90)) : 0,
        p99: measured ? ms(histogram.percentile(99)) : 0,
        max: measured ? ms(histogram.max) : 0,
      },
      clientCpuPercent: Math.round((cpu.user + cpu.system) / 10 / durationMs),
      serverCpuPercent: cpuPercent(serverTicksStart, serverTicksEnd, durationMs),
    },
  })
}

main()
  .catch((error) => send({ type: 'failed', message: error.message }))
  .finally(() => process.disconnect())
