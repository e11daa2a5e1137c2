/*
| The baseline worker for the queue benchmark: BullMQ used directly, one process, a no-op
| processor, same concurrency and options as `node ace queue:work` gets in the same run.
| Env: REDIS_*, QUEUE_PREFIX, BENCH_CONCURRENCY. Prints `ready` once it takes jobs; SIGTERM
| closes it.
*/
import { Worker } from 'bullmq'
import { QUEUE_NAME, WORKER_OPTIONS, redisConnection } from './bullmq_options.js'

const worker = new Worker(QUEUE_NAME, async () => null, {
  ...WORKER_OPTIONS,
  connection: { ...redisConnection(), maxRetriesPerRequest: null },
  prefix: process.env.QUEUE_PREFIX!,
  concurrency: Number(process.env.BENCH_CONCURRENCY || 8),
})
worker.on('error', (error) => console.error('[bullmq worker]', error.message))
await worker.waitUntilReady()
console.log('ready')

const stop = async () => {
  await worker.close()
  process.exit(0)
}
process.once('SIGTERM', stop)
process.once('SIGINT', stop)
