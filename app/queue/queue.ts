import { randomUUID } from 'node:crypto'
import { HttpContext } from '@adonisjs/core/http'
import type { ApplicationService } from '@adonisjs/core/types'
import type { Backoff, JobClass } from '#app/queue/job'
import type { JobRegistry } from '#app/queue/registry'
import { executeJob, type Attempt, type Outcome } from '#app/queue/execute'
import { jobReporter, type TaskInput } from '#app/queue/reporter'
import type { QueueDriver, WorkOptions } from '#app/queue/drivers/driver'
import { JOB_STATES } from '#app/queue/drivers/driver'
import { Heartbeats, type WorkerKind } from '#app/queue/heartbeats'
import { queueSettings } from '#app/queue/settings'
import { FailureLog } from '#app/helpers/failure_log'

/*
| The one way to run work in the background: `queue.dispatch(ExportMembers, payload, options)`.
| Options override the job class's defaults; `task` makes it a task people can watch (needs the
| tasks module). The driver is BullMQ when Redis is configured, the database otherwise.
*/
export type DispatchOptions = {
  /** Milliseconds to wait before the job may run. */
  delay?: number
  /** While a job with this id is waiting or running, dispatching another one is a no-op. */
  dedupeId?: string
  priority?: number
  attempts?: number
  backoff?: Backoff
  queue?: string
  task?: TaskInput
}

export type Dispatched = { id: string; deduped: boolean; taskId: number | null }

export class QueueService {
  readonly heartbeats = new Heartbeats()

  constructor(
    protected app: ApplicationService,
    readonly registry: JobRegistry,
    readonly driver: QueueDriver
  ) {}

  async dispatch<P>(
    job: JobClass<P>,
    payload: P,
    options: DispatchOptions = {}
  ): Promise<Dispatched> {
    const name = this.registry.nameOf(job)
    const id = randomUUID()
    const reporter = jobReporter.get()
    const queue = options.queue ?? job.queue
    const taskId =
      options.task && reporter
        ? await reporter.createTask({ ...options.task, jobName: name, jobId: id, queue })
        : null
    const added = await this.driver.add({
      meta: { id, name, queue, taskId, requestId: requestId() },
      payload,
      attempts: Math.max(1, options.attempts ?? job.attempts),
      backoff: options.backoff ?? job.backoff,
      priority: options.priority ?? job.priority,
      delay: Math.max(0, options.delay ?? 0),
      dedupeId: options.dedupeId ?? null,
    })
    if (added.deduped && taskId) await reporter!.discardTask(taskId)
    return { id: added.id, deduped: added.deduped, taskId: added.deduped ? null : taskId }
  }

  /** Runs one attempt: what workers of either driver call for each job they take. */
  run = (attempt: Attempt): Promise<Outcome> => {
    if (!this.registry.has(attempt.meta.name)) {
      const message = `Unknown job "${attempt.meta.name}" (is its module enabled here?)`
      return Promise.resolve({ status: 'failed', code: 'E_UNKNOWN_JOB', message, retry: false })
    }
    return executeJob(this.app, this.registry.get(attempt.meta.name), attempt)
  }

  /** Starts a worker in this process; it shows on the System page while it lives. */
  async work(options: WorkOptions & { kind?: WorkerKind }) {
    /* The heartbeat only feeds the System page: a failed first beat must not stop the worker. */
    const beat = await this.heartbeats
      .start({
        kind: options.kind ?? 'worker',
        queues: options.queues,
        concurrency: options.concurrency,
      })
      .catch(() => ({ stop: async () => {} }))
    const log =
      options.log ?? new FailureLog(await this.app.container.make('logger'), 'queue worker')
    const worker = await this.driver.work({ ...options, log })
    return {
      active: () => worker.active(),
      stop: async (
        graceMs = queueSettings.shutdownGraceMs,
        draining?: (running: number) => void
      ) => {
        await worker.stop(graceMs, draining)
        await beat.stop()
      },
    }
  }

  /** Cancels a job that has not started; a running one is stopped through its task instead. */
  discard(queue: string, id: string) {
    return this.driver.discard(queue, id)
  }

  async stats(minutes = 60) {
    return Promise.all(
      this.registry.queues().map(async (name) => {
        const series = await this.driver.series(name, minutes)
        const sum = (values: number[]) => values.reduce((total, value) => total + value, 0)
        return {
          name,
          counts: await this.driver.counts(name),
          throughput: { completed: sum(series.completed), failed: sum(series.failed) },
          series,
        }
      })
    )
  }

  states() {
    return JOB_STATES
  }

  async close() {
    await this.driver.close()
  }
}

function requestId() {
  return HttpContext.get()?.request.id() ?? null
}
