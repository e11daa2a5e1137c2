/*
| The producer side of the queue benchmark, run as its own process (forked by queue.ts), once
| for Tandem and once for the baseline:
|
|   tandem  boots Tandem (console environment) and dispatches `benchmarks/noop` through
|           `queue.dispatch` — the whole layer: registry, job envelope, BullMQ driver;
|   bullmq  adds the same number of jobs with BullMQ's own `Queue.add` (same attempts, backoff
|           and retention; BullMQ's own ids, a payload without Tandem's envelope).
|
| Either way a worker process (started by queue.ts) runs them. The client waits until the worker
| is connected, runs a warm-up batch, then dispatches `jobs` more with `inFlight` dispatches
| pending at a time and waits until Redis counts them all completed: jobs per second end to end,
| first dispatch to last completion.
|
| Protocol: the job comes in the BENCH_QUEUE env (JSON QueueJob); `progress` messages go to the
| parent over IPC once a second, then one `done` (or `failed`).
*/
import { Queue } from 'bullmq'
import { JOB_OPTIONS, QUEUE_NAME, redisConnection } from './bullmq_options.js'
import { cpuPercent, processTicks } from './proc.js'
import { redisCpuSeconds } from './redis_info.js'

export type QueueJob = {
  mode: 'tandem' | 'bullmq'
  jobs: number
  warmupJobs: number
  inFlight: number
  workerPid?: number
}

export type QueueResult = {
  jobs: number
  durationMs: number
  jobsPerSecond: number
  /** Dispatch alone: how fast jobs went in (the producer is not the limit when this is higher). */
  dispatchPerSecond: number
  failed: number
  workerCpuPercent: number | null
  clientCpuPercent: number
  /** Redis is single-threaded: near 100% it is the limit, not the worker. */
  redisCpuPercent: number | null
}

export type QueueMessage =
  | { type: 'progress'; phase: 'waiting' | 'warmup' | 'measure'; completed: number; total: number }
  | { type: 'done'; result: QueueResult }
  | { type: 'failed'; message: string }

const job = JSON.parse(process.env.BENCH_QUEUE ?? 'null') as QueueJob | null
if (!job || !process.send) {
  console.error('benchmarks/queue_client.ts is started by benchmarks/queue.ts (npm run bench)')
  process.exit(1)
}
const send = (message: QueueMessage) =>
  new Promise<void>((resolve) => process.send!(message, undefined, {}, () => resolve()))
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

type Producer = { dispatch(n: number): Promise<unknown>; close(): Promise<void> }

async function tandemProducer(): Promise<Producer> {
  const { createIgnitor } = await import('../bin/ignitor.js')
  const app = createIgnitor().createApp('console')
  await app.init()
  await app.boot()
  await app.start(() => {})
  const queue = await app.container.make('queue')
  if (queue.driver.kind !== 'bullmq')
    throw new Error('Tandem did not pick BullMQ (is REDIS_HOST set?)')
  const Noop = queue.registry.get('benchmarks/noop')
  return {
    dispatch: (n) => queue.dispatch(Noop, { n }),
    close: () => app.terminate(),
  }
}

async function bullmqProducer(): Promise<Producer> {
  const queue = new Queue(QUEUE_NAME, {
    connection: redisConnection(),
    prefix: process.env.QUEUE_PREFIX,
  })
  return {
    dispatch: (n) => queue.add('noop', { n }, JOB_OPTIONS),
    close: () => queue.close(),
  }
}

/* Dispatches `count` jobs, `inFlight` at a time. */
async function dispatchAll(producer: Producer, from: number, count: number) {
  let next = from
  const end = from + count
  const lane = async () => {
    while (next < end) await producer.dispatch(next++)
  }
  await Promise.all(Array.from({ length: Math.min(job!.inFlight, count) }, lane))
}

async function main() {
  /* Completion is read from Redis the same way for both: the queue's completed and failed sets. */
  const counter = new Queue(QUEUE_NAME, {
    connection: redisConnection(),
    prefix: process.env.QUEUE_PREFIX,
  })
  const producer = job!.mode === 'tandem' ? await tandemProducer() : await bullmqProducer()
  const finished = async () => {
    const counts = await counter.getJobCounts('completed', 'failed')
    return { completed: counts.completed ?? 0, failed: counts.failed ?? 0 }
  }

  try {
    const deadline = Date.now() + 60_000
    while ((await counter.getWorkersCount()) < 1) {
      if (Date.now() > deadline) throw new Error('no worker connected to the queue within 60 s')
      await sleep(100)
    }

    /* Waits until `target` jobs are finished; fails when nothing moves for 30 s. */
    const waitFor = async (phase: 'warmup' | 'measure', target: number, base: number) => {
      let last = -1
      let lastMoveAt = Date.now()
      let lastReportAt = 0
      for (;;) {
        const { completed, failed } = await finished()
        if (failed > 0) throw new Error(`${failed} job(s) failed`)
        if (completed >= target) return
        if (completed !== last) {
          last = completed
          lastMoveAt = Date.now()
        } else if (Date.now() - lastMoveAt > 30_000) {
          throw new Error(`stuck at ${completed - base} of ${target - base} jobs completed`)
        }
        if (Date.now() - lastReportAt >= 1000) {
          lastReportAt = Date.now()
          void send({ type: 'progress', phase, completed: completed - base, total: target - base })
        }
        await sleep(10)
      }
    }

    await dispatchAll(producer, 0, job!.warmupJobs)
    await waitFor('warmup', job!.warmupJobs, 0)

    const cpuStart = process.cpuUsage()
    const workerTicksStart = processTicks(job!.workerPid)
    const redisCpuStart = await redisCpuSeconds()
    const startedAt = performance.now()
    const measuring = waitFor('measure', job!.warmupJobs + job!.jobs, job!.warmupJobs)
    await dispatchAll(producer, job!.warmupJobs, job!.jobs)
    const dispatchedMs = performance.now() - startedAt
    await measuring
    const durationMs = performance.now() - startedAt
    const workerTicksEnd = processTicks(job!.workerPid)
    const redisCpuEnd = await redisCpuSeconds()
    const cpu = process.cpuUsage(cpuStart)
    const { failed } = await finished()

    await send({
      type: 'done',
      result: {
        jobs: job!.jobs,
        durationMs: Math.round(durationMs),
        jobsPerSecond: Math.round((job!.jobs * 1000) / durationMs),
        dispatchPerSecond: Math.round((job!.jobs * 1000) / dispatchedMs),
        failed,
        workerCpuPercent: cpuPercent(workerTicksStart, workerTicksEnd, durationMs),
        clientCpuPercent: Math.round((cpu.user + cpu.system) / 10 / durationMs),
        redisCpuPercent:
          redisCpuStart === null || redisCpuEnd === null
            ? null
            : Math.round(((redisCpuEnd - redisCpuStart) * 100_000) / durationMs),
      },
    })
  } finally {
    await producer.close().catch(() => {})
    await counter.close().catch(() => {})
  }
}

main()
  .catch((error) => send({ type: 'failed', message: error?.stack ?? String(error) }))
  .finally(() => {
    process.disconnect()
    /* Tandem's app or a Redis client may still hold the event loop for a moment. */
    setTimeout(() => process.exit(0), 2000).unref()
  })
