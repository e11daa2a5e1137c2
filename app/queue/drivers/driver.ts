import type { Backoff } from '#app/queue/job'
import type { JobMeta } from '#app/queue/reporter'
import type { FailureLog } from '#app/helpers/failure_log'

/*
| The two places jobs can live: BullMQ on Redis (production) and a table in the app's own
| database (local and desktop, no Redis). Same behaviour, same admin operations.
*/
export type JobState = 'waiting' | 'delayed' | 'active' | 'completed' | 'failed'
export const JOB_STATES: JobState[] = ['waiting', 'delayed', 'active', 'completed', 'failed']

export type NewJob = {
  meta: JobMeta
  payload: unknown
  attempts: number
  backoff: Backoff
  priority: number
  delay: number
  dedupeId: string | null
}

export type FailedJob = {
  id: string
  name: string
  queue: string
  error: string
  attemptsMade: number
  failedAt: string | null
  taskId: number | null
}

export type WorkOptions = {
  queues: string[]
  concurrency: number
  /** Called once per finished attempt (metrics, heartbeats). */
  onFinished?: (status: string) => void
  /** Where the worker's own failures go (polling, locks, saving outcomes); stderr without. */
  log?: FailureLog
}

export interface RunningWorker {
  /**
   * Stops taking jobs, waits up to graceMs for running ones, then hands the rest back.
   * `draining` is told how many are running once no more can start (a job being claimed as
   * the stop began counts).
   */
  stop(graceMs: number, draining?: (running: number) => void): Promise<void>
  active(): number
}

export interface QueueDriver {
  readonly kind: 'bullmq' | 'database'
  add(job: NewJob): Promise<{ id: string; deduped: boolean }>
  work(options: WorkOptions): Promise<RunningWorker>
  counts(queue: string): Promise<Record<JobState, number>>
  /** Jobs completed and failed per minute over the last `minutes`, oldest first. */
  series(queue: string, minutes: number): Promise<{ completed: number[]; failed: number[] }>
  failed(queue: string, limit: number): Promise<FailedJob[]>
  retry(queue: string, id: string): Promise<boolean>
  remove(queue: string, id: string): Promise<boolean>
  /** Removes a job that has not started yet (a cancelled task); false when it already runs. */
  discard(queue: string, id: string): Promise<boolean>
  clean(queue: string, state: 'completed' | 'failed', olderThanMs: number): Promise<number>
  close(): Promise<void>
}
