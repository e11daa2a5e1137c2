import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { ApiError } from '#app/exceptions/api_error'
import { insertedId } from '#app/helpers/query_results'
import { prepared } from '#app/helpers/pg_statements'

/*
| One write to a company's credits, inside the transaction that holds its account lock (see
| Ledger.write). Every change is an append to credit_entries (with the grant movements in
| credit_allocations); the account row, grants and holds are updated in the same transaction.
*/
export const ENTRY_TYPES = [
  'grant',
  'purchase',
  'consume',
  'hold',
  'capture',
  'release',
  'expire',
  'adjust',
  'refund',
] as const
export type EntryType = (typeof ENTRY_TYPES)[number]

export type ActorType = 'user' | 'token' | 'job' | 'stripe' | 'admin' | 'system'
export type Actor = { type: ActorType; id?: string | number | null }

export type AccountState = {
  id: number
  companyId: number
  balance: number
  held: number
  lowBalanceThreshold: number | null
  lowBalanceNotified: boolean
  nextExpiryAt: number | null
}

export type EntryInput = {
  type: EntryType
  amount: number
  heldChange?: number
  grantId?: number | null
  holdId?: number | null
  actor: Actor
  reason: string
  metadata?: Record<string, unknown> | null
  idempotencyKey?: string | null
}

export type GrantRow = { id: number; remaining: number; expiresAt: number | null }

/*
| PostgreSQL: ids drawn from credit_entries' sequence ahead of time, once per group (ledger.ts),
| so an entry appended with `deferred` is written at the group's end with the others instead of
| one INSERT round trip each. Drawn only while the group holds its companies' locks, so a
| company's entries still get ascending ids in the order they were appended.
*/
export type EntryIds = { take: () => number | null }

/* A credit_entries row as written (and as a replayed write reads it back). */
export type EntryRow = {
  id?: number
  company_id: number
  type: EntryType
  amount: number
  held_change: number
  balance_after: number
  held_after: number
  grant_id: number | null
  hold_id: number | null
  actor_type: ActorType
  actor_id: string | null
  reason: string
  metadata: string | null
  idempotency_key: string | null
  created_at: number
}

/*
| The order credits are spent in: the grant that expires soonest, then the lowest priority
| number, then the oldest. `table` prefixes the columns when grants are joined.
*/
export function spendingOrder(table?: string) {
  const c = (column: string) => (table ? `${table}.${column}` : column)
  return `CASE WHEN ${c('expires_at')} IS NULL THEN 1 ELSE 0 END, ${c('expires_at')}, ${c('priority')}, ${c('id')}`
}

export const insufficient = () =>
  new ApiError('E_INSUFFICIENT_CREDITS', 'Not enough credits available', { status: 402 })

/* PostgreSQL returns bigint columns as strings. */
export const num = (value: unknown) =>
  value === null || value === undefined ? null : Number(value)

export type TxMark = { entries: number; nextExpiry: number | null }

type Allocation = { entry_id: number; grant_id: number; amount: number }

/** Kept in memory until written: deferred entries, the allocations, each drawn grant's remainder. */
export type Draws = {
  entries: Array<EntryRow & { id: number }>
  allocations: Allocation[]
  drawn: Array<[grantId: number, remaining: number]>
}

/* Rows per multi-row INSERT of allocations (3 bindings each, far under every driver's limit). */
const ALLOCATIONS_PER_INSERT = 500
/* Grants read at a time per company (the few that expire soonest are nearly always enough). */
export const GRANTS_READ = 20
/* Deferred entries per multi-row INSERT (15 bindings each). */
const ENTRIES_PER_INSERT = 200

export class LedgerTx {
  readonly entries: Array<{ id: number; type: EntryType }> = []
  #nextExpiry: number | null
  /* The spendable grants read once per transaction and kept in step with every draw. */
  #grants: GrantRow[] | null = null
  #grantsComplete = false
  /*
  | Draws are written when the transaction's work is done (`flush`): the allocations in one
  | multi-row INSERT, each drawn grant's remainder once, however many writes drew from it.
  */
  #allocations: Allocation[] = []
  #drawn = new Map<number, number>()
  /* Entries appended with `deferred`, written with the draws (ids from #ids). */
  #entries: Array<EntryRow & { id: number }> = []
  #ids: EntryIds | null
  /* Set once an entry was inserted at once: its id is above every id #ids still holds. */
  #inserted = false

  constructor(
    readonly trx: TransactionClientContract,
    readonly account: AccountState,
    readonly now: number,
    group: { ids?: EntryIds | null; grants?: GrantRow[] | null } = {}
  ) {
    this.#nextExpiry = account.nextExpiryAt
    this.#ids = group.ids ?? null
    if (group.grants) {
      this.#grants = group.grants
      this.#grantsComplete = group.grants.length < GRANTS_READ
    }
  }

  get available() {
    return this.account.balance - this.account.held
  }

  /** Where a write of a group starts (see write_batches.ts); `restore` undoes it in memory. */
  mark(): TxMark {
    return { entries: this.entries.length, nextExpiry: this.#nextExpiry }
  }

  /**
   * After a rollback to the write's savepoint: the account and this transaction as before it.
   * Draws not flushed yet were the refused write's (a write of a group flushes before its
   * savepoint is released), so they go too.
   */
  restore(mark: TxMark, account: AccountState) {
    Object.assign(this.account, account)
    this.entries.length = mark.entries
    this.#nextExpiry = mark.nextExpiry
    this.#allocations = []
    this.#drawn.clear()
    this.#entries = []
    this.#grants = null
  }

  /** Writes what is kept in memory: deferred entries, the allocations, each grant's remainder. */
  async flush() {
    await this.#flushEntries()
    for (let start = 0; start < this.#allocations.length; start += ALLOCATIONS_PER_INSERT) {
      await this.trx
        .insertQuery()
        .table('credit_allocations')
        .multiInsert(this.#allocations.slice(start, start + ALLOCATIONS_PER_INSERT))
    }
    this.#allocations = []
    for (const [grantId, remaining] of this.#drawn) {
      await prepared(this.trx.from('credit_grants').where('id', grantId).update({ remaining }))
    }
    this.#drawn.clear()
  }

  /** The draws not written yet, for the caller to write (and forgotten here): see Ledger. */
  takeDraws(): Draws {
    const draws: Draws = {
      entries: this.#entries,
      allocations: this.#allocations,
      drawn: [...this.#drawn],
    }
    this.#entries = []
    this.#allocations = []
    this.#drawn.clear()
    return draws
  }

  /** Before grants are read or changed in the database: flushed, and read again next draw. */
  async forgetGrants() {
    await this.flush()
    this.#grants = null
  }

  /**
   * Appends one entry and applies it to the account (balance never below zero). `deferred`: the
   * entry may be written later in this transaction (with the draws, see EntryIds); only for
   * writes that do not read or reference their entry in the database afterwards.
   */
  async append(input: EntryInput, options: { deferred?: boolean } = {}) {
    const balance = this.account.balance + input.amount
    const held = this.account.held + (input.heldChange ?? 0)
    if (balance < 0 || held < 0 || held > balance) throw insufficient()
    const row: EntryRow = {
      company_id: this.account.companyId,
      type: input.type,
      amount: input.amount,
      held_change: input.heldChange ?? 0,
      balance_after: balance,
      held_after: held,
      grant_id: input.grantId ?? null,
      hold_id: input.holdId ?? null,
      actor_type: input.actor.type,
      actor_id:
        input.actor.id === null || input.actor.id === undefined ? null : String(input.actor.id),
      /*
      | A lone UTF-16 surrogate becomes U+FFFD, as every database driver here stores it; on
      | PostgreSQL a deferred entry travels as JSON, whose parser would refuse the whole group.
      */
      reason: input.reason.toWellFormed(),
      metadata: input.metadata ? JSON.stringify(input.metadata) : null,
      idempotency_key: input.idempotencyKey ?? null,
      created_at: this.now,
    }
    let id = options.deferred && !this.#inserted ? (this.#ids?.take() ?? null) : null
    if (id !== null) this.#entries.push({ ...row, id })
    else {
      /* Deferred entries are written first: from here on the table holds all of this write's past. */
      await this.#flushEntries()
      id = insertedId(
        await prepared(this.trx.insertQuery().table('credit_entries').insert(row).returning('id'))
      )
      this.#inserted = true
    }
    this.account.balance = balance
    this.account.held = held
    this.entries.push({ id, type: input.type })
    return id
  }

  /** A deferred entry of this transaction carrying `idempotencyKey`, not written yet. */
  pendingEntry(idempotencyKey: string) {
    return this.#entries.find((entry) => entry.idempotency_key === idempotencyKey) ?? null
  }

  async #flushEntries() {
    if (!this.#entries.length) return
    const entries = this.#entries
    this.#entries = []
    for (let start = 0; start < entries.length; start += ENTRIES_PER_INSERT) {
      await this.trx
        .insertQuery()
        .table('credit_entries')
        .multiInsert(entries.slice(start, start + ENTRIES_PER_INSERT))
    }
  }

  /** Creates a grant with its entry (grant, purchase, refund, positive adjust). */
  async addGrant(
    input: Omit<EntryInput, 'amount'> & {
      amount: number
      kind: 'paid' | 'free'
      priority?: number
      expiresAt?: number | null
    }
  ) {
    const entryId = await this.append({ ...input })
    const rows = await this.trx
      .insertQuery()
      .table('credit_grants')
      .insert({
        company_id: this.account.companyId,
        kind: input.kind,
        amount: input.amount,
        remaining: input.amount,
        priority: input.priority ?? 0,
        expires_at: input.expiresAt ?? null,
        entry_id: entryId,
        created_at: this.now,
      })
      .returning('id')
    const grantId = insertedId(rows)
    await this.forgetGrants()
    await this.trx.from('credit_entries').where('id', entryId).update({ grant_id: grantId })
    if (input.expiresAt) this.expiresAt(input.expiresAt)
    return { entryId, grantId }
  }

  /**
   * Takes `amount` out of the grants that expire soonest (then by priority, then oldest) and
   * records each movement against `entryId`. Returns what was taken from each grant.
   */
  async drawFromGrants(entryId: number, amount: number) {
    const taken: Array<{ grantId: number; amount: number; expiresAt: number | null }> = []
    let left = amount
    while (left > 0) {
      const grants = await this.#spendableGrants()
      if (!grants.length) throw insufficient()
      for (const grant of grants) {
        const take = Math.min(left, grant.remaining)
        grant.remaining -= take
        this.#drawn.set(grant.id, grant.remaining)
        this.#allocations.push({ entry_id: entryId, grant_id: grant.id, amount: -take })
        taken.push({ grantId: grant.id, amount: take, expiresAt: grant.expiresAt })
        left -= take
        if (left === 0) break
      }
      this.#grants = grants.filter((grant) => grant.remaining > 0)
    }
    return taken
  }

  /** Gives credits back to grants (a released hold); expired ones are swept right after. */
  async returnToGrants(entryId: number, parts: Array<{ grantId: number; amount: number }>) {
    await this.forgetGrants()
    for (const part of parts) {
      if (part.amount <= 0) continue
      await this.trx
        .from('credit_grants')
        .where('id', part.grantId)
        .increment('remaining', part.amount)
      await this.#allocate(entryId, part.grantId, part.amount)
    }
  }

  /** What is left of an expired grant leaves the balance (an `expire` entry). */
  async expireGrant(grant: { id: number; remaining: number }) {
    await this.forgetGrants()
    const entryId = await this.append({
      type: 'expire',
      amount: -grant.remaining,
      grantId: grant.id,
      actor: { type: 'system' },
      reason: 'Grant expired',
    })
    await this.trx.from('credit_grants').where('id', grant.id).update({ remaining: 0 })
    await this.#allocate(entryId, grant.id, -grant.remaining)
  }

  /** Remembers the earliest moment a sweep has work to do. */
  expiresAt(at: number) {
    if (this.#nextExpiry === null || at < this.#nextExpiry) this.#nextExpiry = at
  }

  get nextExpiry() {
    return this.#nextExpiry
  }

  set nextExpiry(value: number | null) {
    this.#nextExpiry = value
  }

  async #allocate(entryId: number, grantId: number, amount: number) {
    await this.trx
      .insertQuery()
      .table('credit_allocations')
      .insert({ entry_id: entryId, grant_id: grantId, amount })
  }

  /* Unexpired grants with credits left, in spending order, a few at a time. */
  async #spendableGrants() {
    if (this.#grants && (this.#grants.length || this.#grantsComplete)) return this.#grants
    await this.flush()
    const query = this.trx
      .from('credit_grants')
      .select('id', 'remaining', 'expires_at')
      .where('company_id', this.account.companyId)
      .where('remaining', '>', 0)
      .where((q) => q.whereNull('expires_at').orWhere('expires_at', '>', this.now))
      .orderByRaw(spendingOrder())
      .limit(GRANTS_READ)
    const rows = await prepared(query)
    this.#grantsComplete = rows.length < GRANTS_READ
    this.#grants = rows.map((row: any): GrantRow => ({
      id: Number(row.id),
      remaining: Number(row.remaining),
      expiresAt: num(row.expires_at),
    }))
    return this.#grants
  }
}
