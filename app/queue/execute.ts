import type { ApplicationService } from '@adonisjs/core/types'
import { JobAbortedError, type JobClass, type JobContext } from '#app/queue/job'
import { jobEvents, jobReporter, type JobMeta } from '#app/queue/reporter'

/*
| Runs one attempt of a job, whatever the driver: builds its context, enforces the timeout,
| watches for cancellation, and reports to the task (if any). Returns the outcome; the driver
| decides what happens next (retry with backoff, fail, hand back).
*/
export type Attempt = {
  meta: JobMeta
  payload: unknown
  attempt: number
  maxAttempts: number
  /** Aborted by the worker when it must stop before the job finishes. */
  stop?: AbortSignal
}

export type Outcome =
  | { status: 'completed'; result: unknown }
  | { status: 'failed'; code: string; message: string; retry: boolean }
  | { status: 'cancelled' }
  | { status: 'handed_back' }

/** Runs a job by name (the queue service resolves the class). */
export type JobRunner = (attempt: Attempt) => Promise<Outcome>

const CANCEL_POLL_MS = Number(process.env.QUEUE_CANCEL_POLL_MS ?? 1000)
const PROGRESS_EVERY_MS = 200

export async function executeJob(
  app: ApplicationService,
  job: JobClass,
  attempt: Attempt
): Promise<Outcome> {
  const { meta } = attempt
  const reporter = meta.taskId ? jobReporter.get() : null
  const controller = new AbortController()
  const abort = (error: JobAbortedError) => !controller.signal.aborted && controller.abort(error)
  const timers = watch(job, attempt, reporter, abort)
  const started = performance.now()
  const ctx = await context(app, attempt, controller.signal, reporter)

  let outcome: Outcome
  try {
    await reporter?.started(meta, attempt.attempt)
    const instance = await app.container.make(job as any)
    const result = await Promise.race([
      (instance as any).handle(attempt.payload, ctx),
      rejectOnAbort(controller.signal),
    ])
    outcome = { status: 'completed', result }
  } catch (error) {
    outcome = classify(error, attempt)
  } finally {
    timers.forEach((timer) => clearInterval(timer))
  }

  await report(ctx, reporter, meta, outcome)
  if (outcome.status !== 'handed_back') {
    jobEvents.emit('finished', {
      name: meta.name,
      queue: meta.queue,
      status: outcome.status,
      durationMs: performance.now() - started,
    })
  }
  return outcome
}

function watch(
  job: JobClass,
  attempt: Attempt,
  reporter: ReturnType<typeof jobReporter.get>,
  abort: (error: JobAbortedError) => void
) {
  const timers: NodeJS.Timeout[] = []
  if (job.timeout > 0) {
    const message = `Timed out after ${job.timeout} ms`
    timers.push(setTimeout(() => abort(new JobAbortedError('E_JOB_TIMEOUT', message)), job.timeout))
  }
  if (reporter) {
    const poll = setInterval(() => {
      reporter.isCancelled(attempt.meta).then(
        (yes) => yes && abort(new JobAbortedError('E_JOB_CANCELLED', 'Cancelled')),
        () => {}
      )
    }, CANCEL_POLL_MS)
    timers.push(poll)
  }
  attempt.stop?.addEventListener('abort', () =>
    abort(new JobAbortedError('E_WORKER_STOPPING', 'The worker stopped'))
  )
  return timers
}

async function context(
  app: ApplicationService,
  attempt: Attempt,
  signal: AbortSignal,
  reporter: ReturnType<typeof jobReporter.get>
): Promise<JobContext> {
  const { meta } = attempt
  const root = await app.container.make('logger')
  const logger = root.child({
    job: meta.name,
    job_id: meta.id,
    task_id: meta.taskId ?? undefined,
    request_id: meta.requestId ?? undefined,
  })
  let lastProgressAt = 0
  let pending: NodeJS.Timeout | null = null
  return {
    id: meta.id,
    name: meta.name,
    attempt: attempt.attempt,
    maxAttempts: attempt.maxAttempts,
    signal,
    logger,
    taskId: meta.taskId,
    throwIfAborted: () => signal.throwIfAborted(),
    async progress(percent, message) {
      signal.throwIfAborted()
      if (!reporter) return
      const value = Math.max(0, Math.min(100, Math.round(percent)))
      if (pending) clearTimeout(pending)
      const send = () => reporter.progress(meta, value, message ?? null)
      const wait = lastProgressAt + PROGRESS_EVERY_MS - Date.now()
      if (wait <= 0 || value === 100) {
        lastProgressAt = Date.now()
        return send()
      }
      /* Throttled: the latest report is sent when the window closes. */
      pending = setTimeout(() => {
        lastProgressAt = Date.now()
        send().catch(() => {})
      }, wait)
    },
    async log(message) {
      logger.info(message)
      await reporter?.log(meta, 'info', message)
    },
  }
}

function rejectOnAbort(signal: AbortSignal) {
  return new Promise<never>((_, reject) => {
    if (signal.aborted) return reject(signal.reason)
    signal.addEventListener('abort', () => reject(signal.reason), { once: true })
  })
}

function classify(error: unknown, attempt: Attempt): Outcome {
  if (error instanceof JobAbortedError) {
    if (error.code === 'E_JOB_CANCELLED') return { status: 'cancelled' }
    if (error.code === 'E_WORKER_STOPPING') return { status: 'handed_back' }
  }
  const code = (error as any)?.code
  const message = error instanceof Error ? error.message : String(error)
  return {
    status: 'failed',
    code: typeof code === 'string' && code.startsWith('E_') ? code : 'E_JOB_FAILED',
    message,
    retry: attempt.attempt < attempt.maxAttempts && !(error as any)?.unrecoverable,
  }
}

async function report(
  ctx: JobContext,
  reporter: ReturnType<typeof jobReporter.get>,
  meta: JobMeta,
  outcome: Outcome
) {
  if (outcome.status === 'failed') {
    ctx.logger.error({ code: outcome.code, retry: outcome.retry }, outcome.message)
  }
  if (!reporter) return
  try {
    if (outcome.status === 'completed') await reporter.completed(meta, outcome.result)
    if (outcome.status === 'cancelled') await reporter.cancelled(meta)
    if (outcome.status === 'failed') {
      await reporter.log(meta, 'error', outcome.message)
      await reporter.failed(meta, { code: outcome.code, message: outcome.message }, outcome.retry)
    }
  } catch (error) {
    ctx.logger.error({ err: error }, 'could not record the task outcome')
  }
}
