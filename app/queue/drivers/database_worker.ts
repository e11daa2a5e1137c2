import type { DatabaseDriver } from '#app/queue/drivers/database_driver'
import { TABLE } from '#app/queue/drivers/database_driver'
import type { RunningWorker, WorkOptions } from '#app/queue/drivers/driver'
import type { Attempt, JobRunner, Outcome } from '#app/queue/execute'
import { backoffDelay } from '#app/queue/job'
import { processId, queueSettings } from '#app/queue/settings'
import { FailureLog, stderrLogger } from '#app/helpers/failure_log'

/* What the worker does on its own, as its log lines name it (app/helpers/failure_log.ts). */
const STEPS = {
  poll: 'polling for jobs',
  renew: 'renewing the locks of running jobs',
  stalled: 'the stalled-job check',
  prune: 'pruning finished jobs',
  finish: 'saving the outcome',
}

/*
| Polls `queue_jobs` for due work, claims rows with a conditional UPDATE (the row only moves
| to `active` if it is still `waiting`), renews the locks of the jobs it runs, and returns the
| jobs of dead workers (expired locks) to the queue, like BullMQ's stalled-job check.
*/
export class DatabaseWorker implements RunningWorker {
  #running = new Map<string, { controller: AbortController; done: Promise<void> }>()
  #timers: NodeJS.Timeout[] = []
  #stopping = false
  #ticking: Promise<void> | null = null
  #again = false
  #wake = (queue: string) => this.options.queues.includes(queue) && this.tick()
  #log: FailureLog

  constructor(
    protected driver: DatabaseDriver,
    protected run: JobRunner,
    protected options: WorkOptions
  ) {
    this.#log = options.log ?? new FailureLog(stderrLogger, 'queue worker')
  }

  start() {
    this.driver.added.on('job', this.#wake)
    this.#every(queueSettings.pollMs, () => this.tick())
    this.#every(queueSettings.lockMs / 2, () => this.#step(STEPS.renew, () => this.#renewLocks()))
    this.#every(queueSettings.stalledIntervalMs, () => this.#recover())
    this.#every(60_000, () => this.#step(STEPS.prune, () => this.driver.prune()))
    /* The database may be down as the process starts: say so and go on polling (no crash). */
    this.#recover().finally(() => this.tick())
  }

  active() {
    return this.#running.size
  }

  /** Claims and starts as many due jobs as there are free slots. */
  tick(): Promise<void> {
    if (this.#stopping) return Promise.resolve()
    if (this.#ticking) {
      this.#again = true
      return this.#ticking
    }
    this.#ticking = this.#claimAndStart().finally(() => {
      this.#ticking = null
      if (this.#again) {
        this.#again = false
        setImmediate(() => this.tick())
      }
    })
    return this.#ticking
  }

  async #claimAndStart() {
    try {
      let free = this.options.concurrency - this.#running.size
      while (free > 0 && !this.#stopping) {
        const row = await this.#claim()
        if (!row) break
        this.#start(row)
        free--
      }
      this.#log.succeeded(STEPS.poll)
    } catch (error) {
      if (!this.#stopping) this.#log.failed(STEPS.poll, error)
    }
  }

  async stop(graceMs: number, draining?: (running: number) => void) {
    this.#stopping = true
    this.driver.added.off('job', this.#wake)
    this.#timers.forEach((timer) => clearInterval(timer))
    /*
    | A claim in flight (its row already `active` and locked by this worker) ends first: its job
    | starts and is waited for like the others, instead of being left to the stalled-job check.
    */
    await this.#ticking
    draining?.(this.#running.size)
    const all = () => Promise.all([...this.#running.values()].map((entry) => entry.done))
    const deadline = new Promise((resolve) => setTimeout(resolve, graceMs).unref())
    await Promise.race([all(), deadline])
    for (const entry of this.#running.values()) entry.controller.abort()
    await all()
  }

  async #claim() {
    const client = this.driver.client()
    const now = Date.now()
    const candidates = await client
      .from(TABLE)
      .whereIn('queue', this.options.queues)
      .where('status', 'waiting')
      .where('available_at', '<=', now)
      .orderBy([{ column: 'priority' }, { column: 'available_at' }, { column: 'created_at' }])
      .limit(5)
      .select('id')
    for (const { id } of candidates) {
      const claimed = await client
        .from(TABLE)
        .where({ id, status: 'waiting' })
        .update({
          status: 'active',
          locked_by: processId,
          locked_until: now + queueSettings.lockMs,
          started_at: now,
          attempts_made: client.raw('attempts_made + 1'),
        })
      if (Number(claimed) === 1) return client.from(TABLE).where('id', id).first()
    }
    return null
  }

  #start(row: any) {
    const controller = new AbortController()
    const attempt: Attempt = {
      meta: JSON.parse(row.meta),
      payload: JSON.parse(row.payload),
      attempt: Number(row.attempts_made),
      maxAttempts: Number(row.max_attempts),
      stop: controller.signal,
    }
    const done = this.run(attempt)
      .then((outcome) => this.#finish(row, outcome))
      .catch((error) => this.#log.itemFailed(`job ${row.id}`, STEPS.finish, error))
      .finally(() => {
        this.#running.delete(row.id)
        this.tick()
      })
    this.#running.set(row.id, { controller, done })
  }

  async #finish(row: any, outcome: Outcome) {
    const now = Date.now()
    const mine = this.driver.client().from(TABLE).where({ id: row.id, locked_by: processId })
    const unlocked = { locked_by: null, locked_until: null }
    this.options.onFinished?.(outcome.status)
    if (outcome.status === 'handed_back') {
      await mine.update({
        ...unlocked,
        status: 'waiting',
        attempts_made: Number(row.attempts_made) - 1,
      })
    } else if (outcome.status === 'failed' && outcome.retry) {
      const delay = backoffDelay(JSON.parse(row.backoff), Number(row.attempts_made))
      const error = `${outcome.code}: ${outcome.message}`
      await mine.update({
        ...unlocked,
        status: 'waiting',
        available_at: now + delay,
        last_error: error,
      })
    } else {
      const failed = outcome.status === 'failed'
      await mine.update({
        ...unlocked,
        status: failed ? 'failed' : 'completed',
        last_error: failed ? `${outcome.code}: ${outcome.message}` : null,
        finished_at: now,
        dedupe_id: null,
      })
    }
  }

  async #renewLocks() {
    const ids = [...this.#running.keys()]
    if (ids.length === 0) return
    await this.driver
      .client()
      .from(TABLE)
      .whereIn('id', ids)
      .where('locked_by', processId)
      .update({ locked_until: Date.now() + queueSettings.lockMs })
  }

  /* A job whose lock expired belonged to a worker that died: run it again (once), like BullMQ. */
  async #recoverStalled() {
    const client = this.driver.client()
    const expired = client
      .from(TABLE)
      .where('status', 'active')
      .where('locked_until', '<', Date.now())
    await expired
      .clone()
      .where('stalled_count', '<', 1)
      .update({
        status: 'waiting',
        locked_by: null,
        locked_until: null,
        stalled_count: client.raw('stalled_count + 1'),
        attempts_made: client.raw('attempts_made - 1'),
      })
    await expired.clone().update({
      status: 'failed',
      locked_by: null,
      locked_until: null,
      finished_at: Date.now(),
      dedupe_id: null,
      last_error: 'E_JOB_STALLED: the worker running it stopped responding, twice',
    })
  }

  #recover() {
    return this.#step(STEPS.stalled, () => this.#recoverStalled())
  }

  /** Runs one of the worker's own steps; a failure is logged (once per outage), never thrown. */
  async #step(step: string, fn: () => Promise<unknown>) {
    try {
      await fn()
      this.#log.succeeded(step)
    } catch (error) {
      if (!this.#stopping) this.#log.failed(step, error)
    }
  }

  #every(ms: number, fn: () => Promise<unknown>) {
    const timer = setInterval(fn, ms)
    timer.unref()
    this.#timers.push(timer)
  }
}
