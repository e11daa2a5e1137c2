import { HttpContext } from '@adonisjs/core/http'
import { writerSlots } from '#app/helpers/write_slots'
import type { CleanEvent, Envelope } from '#telemetry/services/batch'
import type { InstallationRef } from '#telemetry/services/installations'

/*
| Group commit for telemetry batches (docs/adr/0008). A batch that arrives while ingestion's
| transactions are busy waits; all the batches waiting when a slot frees up share the next
| transaction, up to MAX_EVENTS events. An idle server adds no delay: a lone batch starts on the
| next turn of the event loop.
|
| A failed group rejects every batch with GroupFailed; the caller stores its batch again alone
| (ingestion is idempotent by event id, so that is safe whatever the failure was).
*/
export type IngestJob = {
  ref: InstallationRef
  sender: { companyId: number; userId: number | null }
  envelope: Envelope
  events: CleanEvent[]
  now: number
}

type Queued = IngestJob & { resolve: (stored: CleanEvent[]) => void; reject: (e: unknown) => void }

/** Events per transaction at most (a batch is at most 1,000). */
export const MAX_EVENTS = 5000

class GroupFailed extends Error {
  constructor(readonly original: unknown) {
    super('the group of telemetry batches failed', { cause: original })
  }
}

export class IngestQueue {
  #pending: Queued[] = []
  #running = 0
  #scheduled = false
  #slots?: number
  /** Counters since the process started (tests and operators read them). */
  readonly stats = { groups: 0, batches: 0, failedGroups: 0 }

  constructor(private store: (jobs: IngestJob[]) => Promise<CleanEvent[][]>) {}

  static failedGroup(error: unknown) {
    return error instanceof GroupFailed
  }

  push(job: IngestJob): Promise<CleanEvent[]> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ ...job, resolve, reject })
      this.#schedule()
    })
  }

  /*
  | A group starts after the requests the event loop is handling now have had their turn: a
  | transaction on SQLite runs to its commit without yielding to I/O, so batches only meet in a
  | group when the start waits for this turn. Groups belong to no request (HttpContext.get).
  */
  #schedule() {
    if (this.#scheduled) return
    this.#scheduled = true
    HttpContext.runOutsideContext(() =>
      setImmediate(() => {
        this.#scheduled = false
        this.#pump()
      })
    )
  }

  #pump() {
    this.#slots ??= writerSlots()
    while (this.#running < this.#slots && this.#pending.length) {
      const group = this.#take()
      this.#running++
      void this.#execute(group).finally(() => {
        this.#running--
        this.#pump()
      })
    }
  }

  #take() {
    let events = 0
    let count = 0
    while (count < this.#pending.length) {
      const size = this.#pending[count].events.length
      if (count > 0 && events + size > MAX_EVENTS) break
      events += size
      count++
    }
    return this.#pending.splice(0, count)
  }

  async #execute(group: Queued[]) {
    this.stats.groups++
    this.stats.batches += group.length
    try {
      const stored = await this.store(group)
      group.forEach((job, index) => job.resolve(stored[index]))
    } catch (error) {
      this.stats.failedGroups++
      const failed = new GroupFailed(error)
      for (const job of group) job.reject(failed)
    }
  }
}
