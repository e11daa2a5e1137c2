import { AsyncLocalStorage } from 'node:async_hooks'
import { isSqliteConnection, writerSlots } from '#app/helpers/write_slots'
import { onNextTurn } from '#app/helpers/next_turn'
import type { AccountState, LedgerTx } from '#credits/services/ledger_tx'
import type { CreditsClock } from '#credits/services/credits_clock'
import type { CreditsNotifier } from '#credits/services/credits_notifier'

/*
| Group commit for ledger writes (docs/adr/0007). A write that arrives while the ledger's
| transactions are busy waits, and all the writes waiting when a transaction slot frees up share
| the next transaction: one lock per company, one commit for all of them, each write inside its
| own savepoint. A busy account therefore costs one commit per group instead of one per write,
| and an idle system adds no delay (a lone write starts at once).
|
| A group first runs without savepoints (each one is a statement, a round trip on PostgreSQL and
| MySQL); when one of its writes fails, that attempt is rolled back and the group runs again with
| a savepoint around each write, so the refused write is undone alone.
|
| Rules the queue keeps:
| - a company is in at most one running group; its writes run in arrival order;
| - a write is answered only after the commit that holds it;
| - when a group fails before its commit (a deadlock, a lost connection, a write that failed
|   without a savepoint), nothing of it was stored and each of its writes runs again alone, so
|   one bad write cannot fail the others; a failed COMMIT is not retried (it may have happened)
|   and fails every write of the group.
*/
export type WriteOutcome<T> = { result: T; before: AccountState; after: AccountState }

export type WriteRequest = {
  companyId: number
  fn: (tx: LedgerTx) => Promise<unknown>
  clock: CreditsClock
  notifier: CreditsNotifier
  /* Draws from grants and appends a deferred entry (see Ledger.write). */
  spends?: boolean
}

type Queued = WriteRequest & {
  alone: boolean
  resolve: (outcome: WriteOutcome<any>) => void
  reject: (error: unknown) => void
}

export type Settled = { ok: true; value: WriteOutcome<unknown> } | { ok: false; error: unknown }

export type BatchRunner = (
  items: WriteRequest[],
  commitFailed: (error: unknown) => never,
  options: { savepoints: boolean }
) => Promise<Settled[]>

/*
| The group's transaction failed before its commit and was rolled back: nothing of it is stored,
| so its writes may run again. The runner throws only this (or WriteRefused, or the commit's
| failure) — anything else is treated as "may have committed" and never re-run.
*/
export class GroupRolledBack extends Error {
  constructor(readonly original: unknown) {
    super('The group was rolled back')
  }
}

/* Set while a group runs its writes: a write started from inside one would wait for itself. */
export const insideGroup = new AsyncLocalStorage<true>()

/* A write of a group run without savepoints failed: the attempt is rolled back, nothing stored. */
export class WriteRefused extends Error {
  constructor(readonly original: unknown) {
    super('A write of the group failed')
  }
}

/* The largest group: bounds how long one transaction holds its locks. */
export const MAX_GROUP = 100

class CommitFailed extends Error {
  constructor(readonly original: unknown) {
    super('The commit failed')
  }
}

export class WriteQueue {
  #pending: Queued[] = []
  #busy = new Set<number>()
  #running = 0
  /* Groups start on the event loop's next turn (app/helpers/next_turn.ts). */
  #schedule = onNextTurn(() => this.#pump())

  constructor(
    private run: BatchRunner,
    private slots: () => number,
    private maxCompanies: () => number = () => MAX_GROUP
  ) {}

  push<T>(request: WriteRequest): Promise<WriteOutcome<T>> {
    if (insideGroup.getStore()) {
      return Promise.reject(
        new Error('A ledger write cannot start another ledger write and wait for it')
      )
    }
    return new Promise((resolve, reject) => {
      this.#pending.push({ ...request, alone: false, resolve, reject })
      this.#schedule()
    })
  }

  /* Starts groups while there are free slots and writes whose company is not in a running group. */
  #pump() {
    while (this.#running < this.slots() && this.#pending.length) {
      const group = this.#take()
      if (!group.length) return
      this.#running++
      for (const item of group) this.#busy.add(item.companyId)
      void this.#execute(group).finally(() => {
        this.#running--
        for (const item of group) this.#busy.delete(item.companyId)
        this.#pump()
      })
    }
  }

  #take(): Queued[] {
    const group: Queued[] = []
    const companies = new Set<number>()
    const skipped = new Set<number>(this.#busy)
    const rest: Queued[] = []
    for (const item of this.#pending) {
      const fits =
        !skipped.has(item.companyId) &&
        group.length < MAX_GROUP &&
        (group.length === 0 ||
          (!item.alone &&
            !group[0].alone &&
            item.clock === group[0].clock &&
            (companies.has(item.companyId) || companies.size < this.maxCompanies())))
      if (fits) {
        group.push(item)
        companies.add(item.companyId)
      } else {
        /* Later writes of a skipped company wait too, so each company keeps its order. */
        skipped.add(item.companyId)
        rest.push(item)
      }
    }
    this.#pending = rest
    return group
  }

  async #execute(group: Queued[]) {
    const commitFailed = (error: unknown): never => {
      throw new CommitFailed(error)
    }
    let settled: Settled[]
    try {
      try {
        settled = await this.run(group, commitFailed, { savepoints: false })
      } catch (error) {
        if (!(error instanceof WriteRefused)) throw error
        settled = await this.run(group, commitFailed, { savepoints: true })
      }
    } catch (error) {
      if (error instanceof GroupRolledBack && group.length > 1) {
        /* Nothing was stored: each write again, alone, ahead of the writes that came later. */
        this.#pending.unshift(...group.map((item) => ({ ...item, alone: true })))
        return
      }
      const reason =
        error instanceof CommitFailed || error instanceof GroupRolledBack ? error.original : error
      for (const item of group) item.reject(reason)
      return
    }
    settled.forEach((outcome, index) => {
      if (outcome.ok) group[index].resolve(outcome.value)
      else group[index].reject(outcome.error)
    })
  }
}

/*
| How many groups may run at once: writerSlots() (one on SQLite, 30% of the pool otherwise), with
| at most GROUP_COMPANIES companies per group on PostgreSQL and MySQL, so busy slots share the
| work and one slow lock holds up few companies.
*/
export const GROUP_COMPANIES = 8

export function ledgerGroupCompanies() {
  return isSqliteConnection() ? MAX_GROUP : GROUP_COMPANIES
}

export const ledgerSlots = writerSlots
