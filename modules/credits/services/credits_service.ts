import { createHash } from 'node:crypto'
import { inject } from '@adonisjs/core'
import { ApiError } from '#app/exceptions/api_error'
import { insertedId } from '#app/helpers/query_results'
import { Ledger } from '#credits/services/ledger'
import { storedEntries } from '#credits/services/ledger_queries'
import { MAX_GROUP } from '#credits/services/write_batches'
import { CreditsClock } from '#credits/services/credits_clock'
import { settleHold } from '#credits/services/hold_settlement'
import type { Actor, LedgerTx } from '#credits/services/ledger_tx'

/*
| What the rest of Tandem calls to move credits (API controllers, admin, billing, commands).
| Amounts are whole credits. An `idempotencyKey` is stored on the entry the call creates: the
| same key again returns what the first call did (also after a crash between the commit and
| the response), never a second effect.
*/
export type Common = {
  actor: Actor
  reason: string
  metadata?: Record<string, unknown> | null
  idempotencyKey?: string | null
}

export type GrantInput = Common & {
  amount: number
  type?: 'grant' | 'purchase' | 'refund' | 'adjust'
  kind?: 'paid' | 'free'
  priority?: number
  expiresAt?: number | null
}

/* The most consumes one batch holds: as many as the ledger puts in one group. */
export const MAX_BATCH = MAX_GROUP

const HOLD_CLOSED: Record<string, [string, string]> = {
  captured: ['E_HOLD_CAPTURED', 'This hold was already captured'],
  released: ['E_HOLD_RELEASED', 'This hold was already released'],
  expired: ['E_HOLD_EXPIRED', 'This hold expired and its credits were released'],
}

@inject()
export class CreditsService {
  constructor(
    private ledger: Ledger,
    private clock: CreditsClock
  ) {}

  balance(companyId: number) {
    return this.ledger.account(companyId)
  }

  /** Adds credits as a new grant (`grant`, `purchase`, `refund` or a positive `adjust`). */
  async grant(companyId: number, input: GrantInput) {
    positive(input.amount)
    const type = input.type ?? 'grant'
    return this.ledger.write(companyId, async (tx) => {
      const replay = await replayed(tx, input.idempotencyKey)
      if (replay) return { entryId: Number(replay.id), grantId: Number(replay.grant_id) }
      return tx.addGrant({
        ...input,
        type,
        kind: input.kind ?? (type === 'purchase' ? 'paid' : 'free'),
      })
    })
  }

  /**
   * Spends credits; 402 E_INSUFFICIENT_CREDITS (and no change) when not enough is available.
   * `stored`: the caller already looked for the entry of this idempotency key (null: none), so
   * the write does not ask again while it holds the company's lock (consumeBatch).
   */
  async consume(
    companyId: number,
    input: Common & { amount: number; type?: 'consume' | 'adjust'; stored?: any | null }
  ) {
    positive(input.amount)
    return this.ledger.write(
      companyId,
      async (tx) => {
        const replay = await replayed(tx, input.idempotencyKey, input.stored)
        if (replay) return { entryId: Number(replay.id) }
        const entryId = await tx.append(
          { ...input, type: input.type ?? 'consume', amount: -input.amount },
          { deferred: true }
        )
        await tx.drawFromGrants(entryId, input.amount)
        return { entryId }
      },
      { spends: true }
    )
  }

  /**
   * Several consumes at once, as a desktop sends what it used while offline. Each item is its own
   * consume, tried in order (they reach the ledger together, so they usually share one group and
   * one commit): an item that does not fit gets its 402 and the items before and after it stand.
   * With an idempotency key, item i carries `<key> <i>` (see itemKey). Sending the batch again
   * after a lost answer replays the items that were stored and tries the others; the stored
   * entries are read in one statement before any item is written, and a batch whose items do not
   * match what is stored under its key (another amount or reason at the same place) is refused
   * whole with 422 E_IDEMPOTENCY_KEY_REUSED, nothing written.
   */
  async consumeBatch(
    companyId: number,
    items: Array<{ amount: number; reason: string; metadata?: Record<string, unknown> | null }>,
    common: { actor: Actor; idempotencyKey?: string | null }
  ) {
    const keys = items.map((_item, index) => itemKey(common.idempotencyKey, index))
    const stored = await storedEntries(companyId, keys)
    items.forEach((item, index) => {
      const entry = stored.get(keys[index]!)
      if (
        entry &&
        (Number(entry.amount) !== -item.amount || entry.reason !== item.reason.toWellFormed())
      ) {
        throw ApiError.invalid(
          'E_IDEMPOTENCY_KEY_REUSED',
          `This Idempotency-Key was used for a batch whose item ${index} had another amount or reason`,
          `consumes.${index}`
        )
      }
    })
    return Promise.allSettled(
      items.map((item, index) =>
        this.consume(companyId, {
          ...item,
          actor: common.actor,
          idempotencyKey: keys[index],
          stored: keys[index] ? (stored.get(keys[index]) ?? null) : undefined,
        })
      )
    )
  }

  /** Reserves credits until captured, released or `ttlSeconds` pass. */
  async hold(companyId: number, input: Common & { amount: number; ttlSeconds: number }) {
    positive(input.amount)
    return this.ledger.write(companyId, async (tx) => {
      const replay = await replayed(tx, input.idempotencyKey)
      if (replay) return this.#holdResult(tx, Number(replay.hold_id))
      if (tx.available < input.amount) throw insufficientFor(tx)
      const expiresAt = tx.now + input.ttlSeconds * 1000
      const holdId = await this.#insertHold(tx, input.amount, input.reason, expiresAt)
      const entryId = await tx.append({
        ...input,
        type: 'hold',
        amount: 0,
        heldChange: input.amount,
        holdId,
      })
      const taken = await tx.drawFromGrants(entryId, input.amount)
      await tx.trx
        .insertQuery()
        .table('credit_hold_grants')
        .multiInsert(
          taken.map((part) => ({ hold_id: holdId, grant_id: part.grantId, amount: part.amount }))
        )
      tx.expiresAt(expiresAt)
      return { holdId, entryId, expiresAt }
    })
  }

  /** Captures up to the held amount; the rest is released. */
  async capture(companyId: number, holdId: number, input: Common & { amount: number }) {
    if (!Number.isSafeInteger(input.amount) || input.amount < 0) throw invalidAmount()
    return this.#settle(companyId, holdId, input, 'captured')
  }

  async release(companyId: number, holdId: number, input: Common) {
    return this.#settle(companyId, holdId, { ...input, amount: 0 }, 'released')
  }

  async #settle(
    companyId: number,
    holdId: number,
    input: Common & { amount: number },
    status: 'captured' | 'released'
  ) {
    return this.ledger.write(companyId, async (tx) => {
      const replay = await replayed(tx, input.idempotencyKey)
      const hold = await tx.trx
        .from('credit_holds')
        .where('id', holdId)
        .where('company_id', companyId)
        .first()
      if (!hold) throw new ApiError('E_HOLD_NOT_FOUND', 'No such hold', { status: 404 })
      if (replay) return settledResult(hold)
      if (hold.status !== 'active') {
        const [code, message] = HOLD_CLOSED[hold.status]
        throw ApiError.conflict(code, message)
      }
      if (input.amount > Number(hold.amount)) {
        throw ApiError.conflict(
          'E_CAPTURE_EXCEEDS_HOLD',
          `Cannot capture ${input.amount} credits: the hold is for ${Number(hold.amount)}`
        )
      }
      const settled = await settleHold(tx, hold, { ...input, capture: input.amount, status })
      return { holdId, ...settled }
    })
  }

  async #insertHold(tx: LedgerTx, amount: number, reason: string, expiresAt: number) {
    const rows = await tx.trx
      .insertQuery()
      .table('credit_holds')
      .insert({
        company_id: tx.account.companyId,
        amount,
        captured: 0,
        status: 'active',
        reason,
        expires_at: expiresAt,
        created_at: tx.now,
      })
      .returning('id')
    return insertedId(rows)
  }

  async #holdResult(tx: LedgerTx, holdId: number) {
    const hold = await tx.trx.from('credit_holds').where('id', holdId).first()
    return { holdId, entryId: 0, expiresAt: Number(hold.expires_at) }
  }

  async setLowBalanceThreshold(companyId: number, threshold: number | null) {
    await this.ledger.write(companyId, async (tx) => {
      tx.account.lowBalanceThreshold = threshold
      await tx.trx
        .from('credit_accounts')
        .where('id', tx.account.id)
        .update({ low_balance_threshold: threshold })
    })
  }

  now() {
    return this.clock.now()
  }
}

/*
| The idempotency key of a batch's item i (see consumeBatch): `<key> <i>`. A request's key has no
| space (1-255 visible ASCII characters), so this never equals a single consume's key. Keys too
| long for the suffix in the 255-character column become `sha256 <hex> <i>`: two spaces, so not
| the item key of any request's key either.
*/
const SUFFIX = String(MAX_BATCH - 1).length + 1

export function itemKey(key: string | null | undefined, index: number) {
  if (!key) return null
  if (key.length + SUFFIX <= 255) return `${key} ${index}`
  return `sha256 ${createHash('sha256').update(key).digest('hex')} ${index}`
}

/*
| The entry an idempotency key already has: one of the group's not yet inserted, or a stored one
| (`known`: looked up before the write; undefined: ask now).
*/
async function replayed(tx: LedgerTx, key: string | null | undefined, known?: any | null) {
  if (!key) return null
  const pending = tx.pendingEntry(key)
  if (pending) return pending
  if (known !== undefined) return known
  return tx.trx
    .from('credit_entries')
    .where('company_id', tx.account.companyId)
    .where('idempotency_key', key)
    .first()
}

function settledResult(hold: any) {
  const captured = Number(hold.captured)
  return {
    holdId: Number(hold.id),
    captureEntryId: null,
    releaseEntryId: null,
    captured,
    released: Number(hold.amount) - captured,
  }
}

const invalidAmount = () =>
  ApiError.invalid(
    'E_INVALID_AMOUNT',
    'The amount must be a positive whole number of credits',
    'amount'
  )

function positive(amount: number) {
  if (!Number.isSafeInteger(amount) || amount <= 0) throw invalidAmount()
}

function insufficientFor(tx: LedgerTx) {
  return new ApiError(
    'E_INSUFFICIENT_CREDITS',
    `Not enough credits available (${tx.available} available)`,
    { status: 402 }
  )
}
