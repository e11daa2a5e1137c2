import { onNextTurn } from '#app/helpers/next_turn'
import { ApiError } from '#app/exceptions/api_error'
import type { CleanEvent, Envelope } from '#telemetry/services/batch'
import type { InstallationRef } from '#telemetry/services/installations'

/*
| Group commit for telemetry batches (docs/adr/0008). A batch that arrives while ingestion's
| transactions are busy waits; the batches waiting when a slot frees up share the next
| transaction (at most MAX_BATCHES batches and MAX_EVENTS events). An idle server adds no delay:
| a lone batch starts on the next turn of the event loop.
|
| Rules the queue keeps:
| - an installation is in at most one running transaction (its later batches wait their turn,
|   so one installation never holds up a chain of groups behind its lock);
| - a group that fails is rolled back whole; its batches go back to the head of the queue, each
|   to run alone (with its own retries), inside the same slots. Ingestion is idempotent by event
|   id, so this is safe whatever the failure was (even a COMMIT whose outcome is unknown);
|   unless the runner says running alone cannot help (SQLite's write lock held by another
|   process past the wait: each batch would wait again), then every batch gets the error;
| - a batch alone that fails gets its error; nothing else is retried;
| - at most MAX_PENDING_EVENTS wait: beyond that the server is behind, and the client is told
|   to come back (503 E_INGEST_BUSY with Retry-After) instead of the queue growing unbounded.
*/
export type IngestJob = {
  ref: InstallationRef
  sender: { companyId: number; userId: number | null }
  envelope: Envelope
  events: CleanEvent[]
  now: number
}

export type Stored = { ref: InstallationRef; stored: CleanEvent[] }

export type IngestRunner = {
  /** One transaction for the batches; each one's new events, in order. Throws to fail all. */
  group(jobs: IngestJob[]): Promise<CleanEvent[][]>
  /** One batch in its own transaction, with its retries. */
  alone(job: IngestJob): Promise<Stored>
  /** A group failed and its batches will run alone. */
  failed?(error: unknown, jobs: IngestJob[]): void
  /** False when running the batches of a failed group alone cannot help: they all get its error. */
  retryAlone?(error: unknown): boolean
}

type Queued = IngestJob & {
  alone: boolean
  resolve: (stored: Stored) => void
  reject: (error: unknown) => void
}

/** Per transaction: batches and events at most (a batch holds at most 1,000 events). */
export const MAX_BATCHES = 100
export const MAX_EVENTS = 5000
/** Events waiting at most before new batches are refused with 503. */
export const MAX_PENDING_EVENTS = 200_000

export class IngestQueue {
  #pending: Queued[] = []
  #pendingEvents = 0
  #busy = new Set<number>()
  #running = 0
  /* Groups start on the event loop's next turn (app/helpers/next_turn.ts). */
  #schedule = onNextTurn(() => this.#pump())
  #slots?: number

  /** Counters since the process started (tests and operators read them). */
  readonly stats = { groups: 0, batches: 0, failedGroups: 0, refused: 0 }

  constructor(
    private runner: IngestRunner,
    private slots: () => number
  ) {}

  push(job: IngestJob): Promise<Stored> {
    if (this.#pendingEvents + job.events.length > MAX_PENDING_EVENTS && this.#pending.length) {
      this.stats.refused++
      return Promise.reject(
        new ApiError('E_INGEST_BUSY', 'The server is behind on ingestion: send this batch again', {
          status: 503,
          retryAfter: 1,
        })
      )
    }
    return new Promise((resolve, reject) => {
      this.#pending.push({ ...job, alone: false, resolve, reject })
      this.#pendingEvents += job.events.length
      this.#schedule()
    })
  }

  #pump() {
    this.#slots ??= this.slots()
    while (this.#running < this.#slots && this.#pending.length) {
      const group = this.#take()
      if (!group.length) return
      this.#running++
      for (const job of group) this.#busy.add(job.ref.id)
      void this.#execute(group).finally(() => {
        this.#running--
        for (const job of group) this.#busy.delete(job.ref.id)
        this.#pump()
      })
    }
  }

  #take(): Queued[] {
    const group: Queued[] = []
    const rest: Queued[] = []
    const skipped = new Set(this.#busy)
    let events = 0
    for (const job of this.#pending) {
      const fits =
        !skipped.has(job.ref.id) &&
        (group.length === 0 ||
          (!job.alone &&
            !group[0].alone &&
            group.length < MAX_BATCHES &&
            events + job.events.length <= MAX_EVENTS))
      if (fits) {
        group.push(job)
        events += job.events.length
      } else {
        /* Later batches of a skipped installation wait too, so each keeps its order. */
        skipped.add(job.ref.id)
        rest.push(job)
      }
    }
    this.#pending = rest
    this.#pendingEvents -= events
    return group
  }

  async #execute(group: Queued[]) {
    this.stats.groups++
    this.stats.batches += group.length
    if (group.length === 1) {
      const [job] = group
      await this.runner.alone(job).then(job.resolve, job.reject)
      return
    }
    try {
      const stored = await this.runner.group(group)
      group.forEach((job, index) => job.resolve({ ref: job.ref, stored: stored[index] }))
    } catch (error) {
      this.stats.failedGroups++
      if (this.runner.retryAlone?.(error) === false) {
        for (const job of group) job.reject(error)
        return
      }
      this.runner.failed?.(error, group)
      /* Nothing of the group was stored: each batch again, alone, before the later ones. */
      this.#pending.unshift(...group.map((job) => ({ ...job, alone: true })))
      this.#pendingEvents += group.reduce((sum, job) => sum + job.events.length, 0)
    }
  }
}
