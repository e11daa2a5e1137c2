import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import { affectedRows } from '#app/helpers/query_results'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { CreditsClock } from '#credits/services/credits_clock'
import { LedgerTx, num, type AccountState } from '#credits/services/ledger_tx'
import { settleHold } from '#credits/services/hold_settlement'
import { CreditsNotifier } from '#credits/services/credits_notifier'

/*
| The only way credits change. `write` runs a function inside a transaction that first bumps the
| company's account row: that UPDATE is an exclusive row lock on PostgreSQL and MariaDB and the
| write lock on SQLite, so writes to one company are serialized (and writes to different
| companies are not). Before the function runs, whatever expired is swept (grants, holds), so a
| balance is right even when the scheduled sweep has not run yet.
*/
export type WriteOutcome<T> = { result: T; before: AccountState; after: AccountState }

@inject()
export class Ledger {
  constructor(
    private clock: CreditsClock,
    private notifier: CreditsNotifier
  ) {}

  async write<T>(companyId: number, fn: (tx: LedgerTx) => Promise<T>): Promise<WriteOutcome<T>> {
    await ensureAccount(companyId, this.clock.now())
    const outcome = await db.transaction(async (trx) => {
      const now = this.clock.now()
      const account = await this.#lock(trx, companyId, now)
      const before = { ...account }
      const tx = new LedgerTx(trx, account, now)
      await sweep(tx)
      const result = await fn(tx)
      await sweep(tx)
      const crossedLow = lowBalanceCrossing(account)
      await trx.from('credit_accounts').where('id', account.id).update({
        balance: account.balance,
        held: account.held,
        next_expiry_at: tx.nextExpiry,
        low_balance_notified: account.lowBalanceNotified,
      })
      return { result, before, after: { ...account }, crossedLow }
    })
    const { crossedLow, ...rest } = outcome
    this.notifier.changed(companyId, rest.before, rest.after, crossedLow)
    return rest
  }

  /** Current state; sweeps first when something expired since the last write. */
  async account(companyId: number): Promise<AccountState> {
    const row = await db.from('credit_accounts').where('company_id', companyId).first()
    if (!row) return emptyAccount(companyId)
    const account = toAccount(row)
    if (account.nextExpiryAt !== null && account.nextExpiryAt <= this.clock.now()) {
      const { after } = await this.write(companyId, async () => null)
      return after
    }
    return account
  }

  /* The lock: bump the version first, then read what the previous holder committed. */
  async #lock(trx: TransactionClientContract, companyId: number, now: number) {
    const bump = () =>
      trx
        .from('credit_accounts')
        .where('company_id', companyId)
        .update({ version: trx.raw('version + 1'), updated_at: now })
    if (affectedRows(await bump()) === 0) {
      /* Rare: the account vanished since it was seen (a rolled-back test, a deleted company). */
      await insertAccount(trx, companyId, now)
      if (affectedRows(await bump()) === 0) throw new Error(`No company ${companyId}`)
    }
    return toAccount(await trx.from('credit_accounts').where('company_id', companyId).first())
  }
}

/*
| Accounts are created on first use, outside the write's transaction: a conflicting insert inside
| racing transactions can deadlock on MariaDB. The set only saves the insert on later writes.
*/
const known = new Set<number>()

async function ensureAccount(companyId: number, now: number) {
  if (known.has(companyId)) return
  await insertAccount(db.connection(), companyId, now)
  known.add(companyId)
}

async function insertAccount(
  client: Pick<TransactionClientContract, 'knexQuery'>,
  companyId: number,
  now: number
) {
  await client
    .knexQuery()
    .table('credit_accounts')
    .insert({ company_id: companyId, created_at: now, updated_at: now })
    .onConflict('company_id')
    .ignore()
}

/* Expired holds give their credits back, then expired grants leave the balance. */
async function sweep(tx: LedgerTx) {
  if (tx.nextExpiry === null || tx.nextExpiry > tx.now) return
  const companyId = tx.account.companyId
  const holds = await tx.trx
    .from('credit_holds')
    .where('company_id', companyId)
    .where('status', 'active')
    .where('expires_at', '<=', tx.now)
    .orderBy('id')
  for (const hold of holds) {
    await settleHold(tx, hold, {
      capture: 0,
      status: 'expired',
      actor: { type: 'system' },
      reason: 'Hold expired',
    })
  }
  const grants = await tx.trx
    .from('credit_grants')
    .where('company_id', companyId)
    .where('remaining', '>', 0)
    .where('expires_at', '<=', tx.now)
    .orderBy('id')
  for (const grant of grants) {
    await tx.expireGrant({ id: Number(grant.id), remaining: Number(grant.remaining) })
  }
  tx.nextExpiry = await nextExpiry(tx)
}

async function nextExpiry(tx: LedgerTx) {
  const companyId = tx.account.companyId
  const grant = await tx.trx
    .from('credit_grants')
    .where('company_id', companyId)
    .where('remaining', '>', 0)
    .min('expires_at as at')
    .first()
  const hold = await tx.trx
    .from('credit_holds')
    .where('company_id', companyId)
    .where('status', 'active')
    .min('expires_at as at')
    .first()
  const times = [num(grant?.at), num(hold?.at)].filter((at): at is number => at !== null)
  return times.length ? Math.min(...times) : null
}

/* Once per crossing: notified when available drops below the threshold, re-armed above it. */
function lowBalanceCrossing(account: AccountState) {
  if (account.lowBalanceThreshold === null) return false
  const low = account.balance - account.held < account.lowBalanceThreshold
  if (low && !account.lowBalanceNotified) {
    account.lowBalanceNotified = true
    return true
  }
  if (!low) account.lowBalanceNotified = false
  return false
}

export function toAccount(row: any): AccountState {
  return {
    id: Number(row.id),
    companyId: Number(row.company_id),
    balance: Number(row.balance),
    held: Number(row.held),
    lowBalanceThreshold: num(row.low_balance_threshold),
    lowBalanceNotified: Boolean(row.low_balance_notified),
    nextExpiryAt: num(row.next_expiry_at),
  }
}

function emptyAccount(companyId: number): AccountState {
  return {
    id: 0,
    companyId,
    balance: 0,
    held: 0,
    lowBalanceThreshold: null,
    lowBalanceNotified: false,
    nextExpiryAt: null,
  }
}
