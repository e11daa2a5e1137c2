/*
| The BullMQ options Tandem's driver (app/queue/drivers/bullmq_driver.ts) uses for a job of the
| default class, repeated here so that the raw-BullMQ baseline asks Redis for exactly the same
| work: a job id of our own, 3 attempts with exponential backoff, finished jobs kept 24 h (by age),
| a 30 s lock and per-minute metrics. Keep the two in step.
*/
import { MetricsTime } from 'bullmq'

export const JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 24 * 3600 },
  removeOnFail: { age: 7 * 24 * 3600 },
}

export const WORKER_OPTIONS = {
  lockDuration: 30_000,
  stalledInterval: 30_000,
  metrics: { maxDataPoints: MetricsTime.ONE_WEEK },
}

export const QUEUE_NAME = 'default'

export function redisConnection() {
  return {
    host: process.env.REDIS_HOST || '127.0.0.1',
    port: Number(process.env.REDIS_PORT || 6379),
    password: process.env.REDIS_PASSWORD || undefined,
    db: Number(process.env.REDIS_DB || 0),
  }
}
