import { hostname } from 'node:os'
import { randomBytes } from 'node:crypto'

/*
| Queue timings, from the environment (validated in start/env.ts). Tests shorten the stall
| interval so a killed worker's job comes back in seconds instead of half a minute.
*/
const number = (name: string, fallback: number) => {
  const value = Number(process.env[name])
  return Number.isFinite(value) && value > 0 ? value : fallback
}

export const queueSettings = {
  /** How often an idle database worker looks for due jobs. */
  pollMs: number('QUEUE_POLL_MS', 500),
  /** A running job's lock; renewed at half this period while the worker lives. */
  lockMs: number('QUEUE_LOCK_MS', 30_000),
  /** How often workers look for jobs whose worker died (lock expired). */
  stalledIntervalMs: number('QUEUE_STALLED_INTERVAL_MS', 30_000),
  /** How long a stopping worker waits for running jobs before handing them back. */
  shutdownGraceMs: number('QUEUE_SHUTDOWN_GRACE_MS', 25_000),
  /** BullMQ key prefix (several apps can share one Redis). */
  prefix: process.env.QUEUE_PREFIX || 'tandem',
  /** Finished jobs are kept this long for the System page and throughput. */
  keepCompletedMs: number('QUEUE_KEEP_COMPLETED_HOURS', 24) * 3_600_000,
  keepFailedMs: number('QUEUE_KEEP_FAILED_DAYS', 7) * 86_400_000,
}

/** This process, as workers and schedulers name themselves. */
export const processId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`
