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

type GrantRow = { id: number; remaining: number; expiresAt: number | null }

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

/** Draws kept in memory: the allocations to insert, each drawn grant's remainder. */
export type Draws = {
  allocations: Allocation[]
  drawn: Array<[grantId: number, remaining: number]>
}

/* Rows per multi-row INSERT of allocations (3 bindings each, far under every driver's limit). */
const ALLOCATIONS_PER_INSERT = 500

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

  constructor(
    readonly trx: TransactionClientContract,
    readonly account: AccountState,
    readonly now: number
  ) {
    this.#nextExpiry = account.nextExpiryAt
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
    this.#grants = null
  }

  /** Writes the draws kept in memory: the allocations, then each drawn grant's remainder. */
  async flush() {
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
    const draws: Draws = { allocations: this.#allocations, drawn: [...this.#drawn] }
    this.#allocations = []
    this.#drawn.clear()
    return draws
  }

  /** Before grants are read or changed in the database: flushed, and read again next draw. */
  async forgetGrants() {
    await this.flush()
    this.#grants = null
  }

  /** Appends one entry and applies it to the account (balance never below zero). */
  async append(input: EntryInput) {
    const balance = this.account.balance + input.amount
    const held = this.account.held + (input.heldChange ?? 0)
    if (balance < 0 || held < 0 || held > balance) throw insufficient()
    const insert = this.trx
      .insertQuery()
      .table('credit_entries')
      .insert({
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
        reason: input.reason,
        metadata: input.metadata ? JSON.stringify(input.metadata) : null,
        idempotency_key: input.idempotencyKey ?? null,
        created_at: this.now,
      })
      .returning('id')
    const rows = await prepared(insert)
    this.account.balance = balance
    this.account.held = held
    const id = insertedId(rows)
    this.entries.push({ id, type: input.type })
    return id
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

const GRANTS_READ = 20
