import type { Logger } from '@adonisjs/core/logger'

/*
| A unit of background work. Modules put one class per file in `modules/<m>/jobs/`; the queue
| discovers them and names each `<module>/<file>` (e.g. `accounts/export_members`). Static
| fields are the defaults for every dispatch of that job.
*/
export type Backoff = { type: 'fixed' | 'exponential'; delay: number }

export interface JobContext {
  /** The queued job's id (stable across retries). */
  id: string
  name: string
  /** 1 on the first run, 2 on the first retry… */
  attempt: number
  maxAttempts: number
  /** Aborted when the job is cancelled, times out or the worker is forced to stop. */
  signal: AbortSignal
  /** Carries the job's id, name and the id of the request that dispatched it. */
  logger: Logger
  /** The task this job reports to, when it was dispatched as one. */
  taskId: number | null
  /** Percent is clamped to 0–100; reports are throttled before they reach the database. */
  progress(percent: number, message?: string): Promise<void>
  /** A line in the task's log (and the process log). */
  log(message: string): Promise<void>
  /** Throws when the job was cancelled or timed out; call it between steps of long work. */
  throwIfAborted(): void
}

export abstract class Job<Payload = any, Result = unknown> {
  /** Queue the job goes to; `queue:work --queues` picks which ones a worker serves. */
  static queue = 'default'
  /** Total runs before the job is marked failed. */
  static attempts = 3
  static backoff: Backoff = { type: 'exponential', delay: 1000 }
  /** Milliseconds one attempt may take (0: no limit). */
  static timeout = 60_000
  /** 0 = none; otherwise lower numbers run first (BullMQ's semantics). */
  static priority = 0
  /** Cron expression (5 fields, or 6 with seconds) for recurring runs by `scheduler:work`. */
  static schedule?: string
  /** Payload of scheduled runs. */
  static schedulePayload?: unknown

  abstract handle(payload: Payload, ctx: JobContext): Promise<Result>
}

export type JobClass<P = any, R = unknown> = (abstract new (...args: any[]) => Job<P, R>) & {
  queue: string
  attempts: number
  backoff: Backoff
  timeout: number
  priority: number
  schedule?: string
  schedulePayload?: unknown
}

export function backoffDelay(backoff: Backoff, attempt: number) {
  return backoff.type === 'fixed' ? backoff.delay : backoff.delay * 2 ** Math.max(0, attempt - 1)
}

/* Thrown into a job whose signal is aborted. The codes are stable (stored as the job's error). */
export class JobAbortedError extends Error {
  constructor(
    public code: 'E_JOB_CANCELLED' | 'E_JOB_TIMEOUT' | 'E_WORKER_STOPPING',
    message: string
  ) {
    super(message)
  }
}
