/*
| The queue part of `npm run bench`: no-op jobs per second end to end (dispatch → completed) on
| BullMQ with one worker process, Tandem's layer beside BullMQ used directly, same Redis, same
| run. See benchmarks/README.md.
|
|   Tandem    queue_client.ts (mode tandem: `queue.dispatch`) → Redis → `node ace queue:work`
|   baseline  queue_client.ts (mode bullmq: `Queue.add`)       → Redis → bullmq_worker.ts
|
| Each side gets its own key prefix, removed afterwards.
*/
import { randomUUID } from 'node:crypto'
import { Queue } from 'bullmq'
import { QUEUE_NAME, redisConnection } from './bullmq_options.js'
import { redisProblem } from './redis_info.js'
import { forkScript, startProcess, type Env } from './processes.js'
import type { QueueJob, QueueMessage, QueueResult } from './queue_client.js'

export type QueueConfig = {
  jobs: number
  warmupJobs: number
  concurrency: number
  inFlight: number
}

export type QueueOutcome =
  | { skipped: string }
  | { tandem: QueueResult; baseline: QueueResult; concurrency: number; redis: string }

/* Everything the run left in Redis under its prefix (jobs, events, metrics). */
async function removeKeys(prefix: string) {
  const queue = new Queue(QUEUE_NAME, { connection: redisConnection(), prefix })
  try {
    await queue.obliterate({ force: true })
  } finally {
    await queue.close()
  }
}

type Side = {
  label: string
  mode: QueueJob['mode']
  worker: { entry: string; args: string[] }
  client: string
  env: Env
}

async function measure(side: Side, config: QueueConfig, progress: (line: string) => void) {
  const prefix = `${side.mode}-bench-${randomUUID().slice(0, 8)}`
  const env = { ...side.env, QUEUE_PREFIX: prefix, BENCH_CONCURRENCY: String(config.concurrency) }
  const worker = startProcess(side.worker.entry, side.worker.args, env)
  try {
    const job: QueueJob = {
      mode: side.mode,
      jobs: config.jobs,
      warmupJobs: config.warmupJobs,
      inFlight: config.inFlight,
      workerPid: worker.pid,
    }
    const client = forkScript(side.client, { ...env, BENCH_QUEUE: JSON.stringify(job) })
    const result = new Promise<QueueResult>((resolve, reject) => {
      client.on('message', (message: QueueMessage | string) => {
        /* A booted Adonis app tells its parent process "ready" over IPC: not ours. */
        if (typeof message !== 'object') return
        if (message.type === 'progress') {
          const what = {
            waiting: 'waiting for the worker',
            warmup: 'warm-up',
            measure: 'measuring',
          }
          progress(
            `      ${side.label}: ${what[message.phase]} ${message.completed.toLocaleString('en-US')}/${message.total.toLocaleString('en-US')} jobs`
          )
        } else if (message.type === 'done') resolve(message.result)
        else reject(new Error(`${side.label} queue client failed: ${message.message}`))
      })
      client.once('exit', (code) =>
        reject(new Error(`${side.label} queue client exited (${code}) without a result`))
      )
      /* A worker that dies (a boot error) ends the run at once instead of after a timeout. */
      worker.child.once('exit', (code) =>
        reject(new Error(`${side.label} worker exited (${code}):\n${worker.output().slice(-3000)}`))
      )
    })
    return await result
  } finally {
    await worker.stop()
    await removeKeys(prefix).catch(() => {})
  }
}

export async function queueBenchmark(options: {
  config: QueueConfig
  /** The Tandem environment (a migrated database); Redis settings are added here. */
  env: Env
  fromSource: boolean
  progress: (line: string) => void
}): Promise<QueueOutcome> {
  const connection = redisConnection()
  const redis = `${connection.host}:${connection.port}/${connection.db}`
  const problem = await redisProblem()
  if (problem)
    return {
      skipped: `Redis at ${redis} did not answer PING (${problem}); set REDIS_HOST/REDIS_PORT`,
    }

  const env: Env = {
    ...options.env,
    REDIS_HOST: connection.host,
    REDIS_PORT: String(connection.port),
    REDIS_DB: String(connection.db),
    ...(connection.password ? { REDIS_PASSWORD: connection.password } : {}),
    QUEUE_DRIVER: 'bullmq',
    TANDEM_EXTRA_JOBS: 'benchmarks/jobs',
  }
  const script = (name: string) =>
    options.fromSource ? `benchmarks/${name}.ts` : `build/benchmarks/${name}.js`

  const tandem = await measure(
    {
      label: 'Tandem',
      mode: 'tandem',
      worker: {
        entry: options.fromSource ? 'ace.js' : 'build/ace.js',
        args: ['queue:work', `--concurrency=${options.config.concurrency}`],
      },
      client: script('queue_client'),
      env,
    },
    options.config,
    options.progress
  )
  const baseline = await measure(
    {
      label: 'baseline',
      mode: 'bullmq',
      worker: { entry: script('bullmq_worker'), args: [] },
      client: script('queue_client'),
      env,
    },
    options.config,
    options.progress
  )
  return { tandem, baseline, concurrency: options.config.concurrency, redis }
}
