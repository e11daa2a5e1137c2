import { EventEmitter } from 'node:events'

/*
| What travels with a queued job besides its payload, and the hooks through which the tasks
| module turns jobs into tasks people watch. The kernel only calls the hooks; without the tasks
| module they are absent and a job just runs.
*/
export type JobMeta = {
  id: string
  name: string
  queue: string
  taskId: number | null
  requestId: string | null
}

export type TaskInput = {
  companyId: number | null
  userId: number | null
  title: string
}

export interface JobReporter {
  createTask(input: TaskInput & { jobName: string; jobId: string; queue: string }): Promise<number>
  /** Drops a task created for a dispatch that was deduplicated (the job already existed). */
  discardTask(taskId: number): Promise<void>
  started(meta: JobMeta, attempt: number): Promise<void>
  progress(meta: JobMeta, percent: number, message: string | null): Promise<void>
  log(meta: JobMeta, level: 'info' | 'error', message: string): Promise<void>
  completed(meta: JobMeta, result: unknown): Promise<void>
  failed(meta: JobMeta, error: { code: string; message: string }, willRetry: boolean): Promise<void>
  cancelled(meta: JobMeta): Promise<void>
  isCancelled(meta: JobMeta): Promise<boolean>
}

let reporter: JobReporter | null = null

export const jobReporter = {
  use(implementation: JobReporter | null) {
    reporter = implementation
  },
  get: () => reporter,
}

/* Process-local job outcomes, for metrics (the ops module counts them). */
export type JobOutcome = {
  name: string
  queue: string
  status: 'completed' | 'failed' | 'cancelled'
  durationMs: number
}
export const jobEvents = new EventEmitter<{ finished: [JobOutcome] }>()
