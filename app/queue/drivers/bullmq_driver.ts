import {
  Queue,
  Worker,
  UnrecoverableError,
  WaitingError,
  MetricsTime,
  type Job as BullJob,
} from 'bullmq'
import type { RedisOptions } from 'bullmq'
import type { JobState, NewJob, QueueDriver, WorkOptions } from '#app/queue/drivers/driver'
import type { JobRunner } from '#app/queue/execute'
import { queueSettings } from '#app/queue/settings'
import { FailureLog, stderrLogger } from '#app/helpers/failure_log'

/*
| BullMQ on Redis: production's driver. Retries, backoff, delays, priorities, deduplication and
| stalled-job recovery are BullMQ's own; this class maps Tandem's job envelope onto it.
| Finished jobs are kept for a while (QUEUE_KEEP_*) for the System page.
*/
export class BullmqDriver implements QueueDriver {
  readonly kind = 'bullmq' as const
  #queues = new Map<string, Queue>()

  constructor(
    protected run: JobRunner,
    protected connection: RedisOptions,
    readonly prefix = queueSettings.prefix
  ) {}

  queue(name: string) {
    let queue = this.#queues.get(name)
    if (!queue) {
      queue = new Queue(name, { connection: this.connection, prefix: this.prefix })
      queue.on('error', () => {})
      this.#queues.set(name, queue)
    }
    return queue
  }

  async add(job: NewJob) {
    const added = await this.queue(job.meta.queue).add(
      job.meta.name,
      { payload: job.payload, meta: job.meta },
      {
        jobId: job.meta.id,
        attempts: job.attempts,
        backoff: job.backoff,
        priority: job.priority || undefined,
        delay: job.delay || undefined,
        deduplication: job.dedupeId ? { id: job.dedupeId } : undefined,
        removeOnComplete: { age: queueSettings.keepCompletedMs / 1000 },
        removeOnFail: { age: queueSettings.keepFailedMs / 1000 },
      }
    )
    return { id: added.id!, deduped: added.id !== job.meta.id }
  }

  async work(options: WorkOptions) {
    const log = options.log ?? new FailureLog(stderrLogger, 'queue worker')
    const workers = options.queues.map((name) => {
      const worker = new Worker(name, (job, token) => this.#process(job, token, options), {
        connection: { ...this.connection, maxRetriesPerRequest: null },
        prefix: this.prefix,
        concurrency: options.concurrency,
        lockDuration: queueSettings.lockMs,
        stalledInterval: queueSettings.stalledIntervalMs,
        metrics: { maxDataPoints: MetricsTime.ONE_WEEK },
      })
      /* Redis unreachable: ioredis retries and BullMQ says so on every attempt (logged once a minute). */
      worker.on('error', (error) => log.failed(`working queue "${name}"`, error))
      return worker
    })
    await Promise.all(workers.map((worker) => worker.waitUntilReady()))
    const stops = this.#stops
    return {
      active: () => this.#active,
      stop: async (graceMs: number, draining?: (running: number) => void) => {
        const closing = Promise.all(workers.map((worker) => worker.close()))
        draining?.(this.#active)
        const deadline = new Promise((resolve) => setTimeout(resolve, graceMs).unref())
        await Promise.race([closing, deadline])
        /* Still running after the grace period: hand the jobs back to the queue. */
        for (const controller of stops) controller.abort()
        await closing
      },
    }
  }

  #stops = new Set<AbortController>()
  #active = 0

  async #process(job: BullJob, token: string | undefined, options: WorkOptions) {
    const controller = new AbortController()
    this.#stops.add(controller)
    this.#active++
    try {
      const outcome = await this.run({
        meta: job.data.meta,
        payload: job.data.payload,
        attempt: job.attemptsMade + 1,
        maxAttempts: job.opts.attempts ?? 1,
        stop: controller.signal,
      })
      options.onFinished?.(outcome.status)
      if (outcome.status === 'handed_back') {
        await job.moveToWait(token)
        throw new WaitingError()
      }
      if (outcome.status === 'failed') {
        const error = `${outcome.code}: ${outcome.message}`
        throw outcome.retry ? new Error(error) : new UnrecoverableError(error)
      }
      return outcome.status === 'completed' ? (outcome.result ?? null) : { cancelled: true }
    } finally {
      this.#stops.delete(controller)
      this.#active--
    }
  }

  async counts(queue: string) {
    const counts = await this.queue(queue).getJobCounts(
      'waiting',
      'prioritized',
      'delayed',
      'active',
      'completed',
      'failed'
    )
    return {
      waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
      delayed: counts.delayed ?? 0,
      active: counts.active ?? 0,
      completed: counts.completed ?? 0,
      failed: counts.failed ?? 0,
    } satisfies Record<JobState, number>
  }

  async series(queue: string, minutes: number) {
    /* BullMQ's metrics are per-minute counts, newest first. */
    const read = async (type: 'completed' | 'failed') => {
      const metrics = await this.queue(queue).getMetrics(type, 0, minutes - 1)
      const points = metrics.data.map((value) => Number(value) || 0)
      while (points.length < minutes) points.push(0)
      return points.slice(0, minutes).reverse()
    }
    return { completed: await read('completed'), failed: await read('failed') }
  }

  async failed(queue: string, limit: number) {
    const jobs = await this.queue(queue).getFailed(0, limit - 1)
    return jobs.map((job) => ({
      id: job.id!,
      name: job.name,
      queue,
      error: job.failedReason ?? '',
      attemptsMade: job.attemptsMade,
      failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
      taskId: job.data?.meta?.taskId ?? null,
    }))
  }

  async retry(queue: string, id: string) {
    const job = await this.queue(queue).getJob(id)
    if (!job || (await job.getState()) !== 'failed') return false
    await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true })
    return true
  }

  async remove(queue: string, id: string) {
    const job = await this.queue(queue).getJob(id)
    if (!job || (await job.getState()) === 'active') return false
    await job.remove()
    return true
  }

  async discard(queue: string, id: string) {
    const job = await this.queue(queue).getJob(id)
    if (!job) return false
    const state = await job.getState()
    if (!['waiting', 'delayed', 'prioritized'].includes(state)) return false
    await job.remove().catch(() => {})
    return !(await this.queue(queue).getJob(id))
  }

  async clean(queue: string, state: 'completed' | 'failed', olderThanMs: number) {
    const removed = await this.queue(queue).clean(olderThanMs, 10_000, state)
    return removed.length
  }

  async close() {
    await Promise.all([...this.#queues.values()].map((queue) => queue.close()))
    this.#queues.clear()
  }
}
