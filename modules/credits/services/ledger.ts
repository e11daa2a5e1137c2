import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import logger from '@adonisjs/core/services/logger'
import { affectedRows, rawRows } from '#app/helpers/query_results'
import { paddedIn } from '#app/helpers/sql_shapes'
import {
  answeredByServer,
  beginWith,
  connectionOf,
  prepared,
  refusedUnsent,
  send,
  type PgConnection,
} from '#app/helpers/pg_statements'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { CreditsClock } from '#credits/services/credits_clock'
import {
  GRANTS_READ,
  LedgerTx,
  num,
  spendingOrder,
  type AccountState,
  type Draws,
  type EntryIds,
  type GrantRow,
} from '#credits/services/ledger_tx'
import { settleHold } from '#credits/services/hold_settlement'
import { CreditsNotifier } from '#credits/services/credits_notifier'
import {
  GroupRolledBack,
  WriteQueue,
  WriteRefused,
  insideGroup,
  ledgerGroupCompanies,
  ledgerSlots,
  type Settled,
  type WriteOutcome,
  type WriteRequest,
} from '#credits/services/write_batches'

export type { WriteOutcome }

/*
| The only way credits change. `write` runs a function inside a transaction that first bumps the
| company's account row: that UPDATE is an exclusive row lock on PostgreSQL and MariaDB and the
| write lock on SQLite, so writes to one company are serialized (and writes to different
| companies are not). Before the function runs, whatever expired is swept (grants, holds), so a
| balance is right even when the scheduled sweep has not run yet.
|
| Writes are committed in groups (write_batches.ts): the writes that arrive while a transaction is
| busy share the next one, each inside its own savepoint, so a refused write (402, 409) leaves
| the others untouched, and every caller is answered only after the commit that holds its write.
*/
let slots: number | undefined
let companiesPerGroup: number | undefined
const queue = new WriteQueue(
  runWriteBatch,
  () => (slots ??= ledgerSlots()),
  () => (companiesPerGroup ??= ledgerGroupCompanies())
)

@inject()
export class Ledger {
  constructor(
    private clock: CreditsClock,
    private notifier: CreditsNotifier
  ) {}

  /**
   * Runs `fn` in a transaction holding the company's lock and answers after its commit. `fn` may
   * run more than once (a group is retried when one of its writes is refused), each time in a
   * fresh transaction that is rolled back: it must act only through `tx` (no mail, no HTTP, no
   * counters) and must not start another ledger write. `spends`: `fn` draws from grants and
   * appends one entry with `deferred` (a consume), so on PostgreSQL the group reads the grants
   * and draws an entry id for it in one statement up front.
   */
  write<T>(
    companyId: number,
    fn: (tx: LedgerTx) => Promise<T>,
    options: { spends?: boolean } = {}
  ): Promise<WriteOutcome<T>> {
    return queue.push<T>({
      companyId,
      fn,
      clock: this.clock,
      notifier: this.notifier,
      spends: options.spends ?? false,
    })
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
}

/*
| One group of writes in one transaction. First every company of the group is locked, in
| ascending id order (two groups touching the same companies cannot deadlock; see lockAll). Then
| each company's writes run in arrival order (in a savepoint each, on the second attempt of a
| group); what they drew from grants is written once per company (LedgerTx.flush). Returns
| each write's outcome (or its error); throws when the transaction failed before its commit
| (then nothing of it is stored and its writes can run again).
*/
async function runWriteBatch(
  items: WriteRequest[],
  commitFailed: (error: unknown) => never,
  options: { savepoints: boolean }
): Promise<Settled[]> {
  const { clock, notifier } = items[0]
  const companies = [...new Set(items.map((item) => item.companyId))].sort((a, b) => a - b)
  for (const companyId of companies) await ensureAccount(companyId, clock.now())

  const shared = options.savepoints && items.length > 1
  const outcomes: Settled[] = new Array(items.length)
  const notices: Array<{
    companyId: number
    before: AccountState
    after: AccountState
    lows: AccountState[]
  }> = []
  /*
  | PostgreSQL, without savepoints: what each company's writes drew and where its account ended
  | are written for the whole group in one statement (finishTogether), not three per company.
  */
  const ends: Array<{ account: AccountState; draws: Draws }> = []
  const now = clock.now()
  const client = db.connection()
  /*
  | PostgreSQL (a round trip per statement): the locks, and for the group's spending writes the
  | spendable grants of their companies and an entry id each, sent right behind the BEGIN; the
  | end statement and the COMMIT go out together (commitBehind). Only for a transaction of its
  | own: inside another one (the tests' global transaction) the group is a savepoint, whose
  | RELEASE cannot roll back a refused end statement, so each statement waits for its answer.
  */
  const pipelined = client.dialect.name === 'postgres' && !client.isTransaction
  const { trx, followed } = pipelined
    ? await beginWith(client, (connection) => lockAndStart(connection, companies, items, now))
    : { trx: await client.transaction(), followed: null }
  const together = trx.dialect.name === 'postgres' && !shared
  let finishing: Promise<unknown> | null = null
  try {
    const { accounts, start } = followed
      ? await lockedAndStarted(trx, await followed, companies, items, now)
      : await lockedThenStarted(trx, companies, items, now)
    const ids = start ? entryIds(start.ids) : null
    const grants = start?.grants ?? null
    for (const account of accounts) {
      const companyId = account.companyId
      const first = { ...account }
      const tx = new LedgerTx(trx, account, now, {
        ids,
        grants: grants?.get(companyId) ?? null,
      })
      await sweep(tx)
      const lows: AccountState[] = []
      for (const [index, item] of items.entries()) {
        if (item.companyId !== companyId) continue
        const before = { ...account }
        const mark = tx.mark()
        if (shared) await trx.rawQuery('SAVEPOINT ledger_write')
        try {
          const result = await insideGroup.run(true, () => item.fn(tx))
          await sweep(tx)
          const crossed = lowBalanceCrossing(account)
          if (shared) {
            await tx.flush()
            await trx.rawQuery('RELEASE SAVEPOINT ledger_write')
          }
          if (crossed) lows.push({ ...account })
          outcomes[index] = { ok: true, value: { result, before, after: { ...account } } }
        } catch (error) {
          if (!shared) throw items.length > 1 ? new WriteRefused(error) : error
          await trx.rawQuery('ROLLBACK TO SAVEPOINT ledger_write')
          await trx.rawQuery('RELEASE SAVEPOINT ledger_write')
          tx.restore(mark, before)
          outcomes[index] = { ok: false, error }
        }
      }
      const finished = { ...account, nextExpiryAt: tx.nextExpiry }
      if (together) ends.push({ account: finished, draws: tx.takeDraws() })
      else {
        await tx.flush()
        await prepared(
          trx.from('credit_accounts').where('id', account.id).update({
            balance: finished.balance,
            held: finished.held,
            next_expiry_at: finished.nextExpiryAt,
            low_balance_notified: finished.lowBalanceNotified,
            low_balance_threshold: finished.lowBalanceThreshold,
          })
        )
      }
      notices.push({ companyId, before: first, after: { ...account }, lows })
    }
    if (ends.length) {
      const { finished } = await finishTogether(trx, ends)
      if (pipelined) finishing = finished
      else await finished
    }
  } catch (error) {
    await trx.rollback().catch(() => {})
    throw error instanceof WriteRefused ? error : new GroupRolledBack(error)
  }
  if (finishing) await commitBehind(trx, finishing, commitFailed)
  else {
    try {
      /* Throws when the COMMIT failed (app/helpers/transaction_commits.ts). */
      await trx.commit()
    } catch (error) {
      commitFailed(error)
    }
  }
  /* Committed: whatever happens now, the writes stand (a failed push is logged, not retried). */
  for (const notice of notices) {
    try {
      notifier.changed(notice.companyId, notice.before, notice.after)
      for (const low of notice.lows) notifier.lowBalance(notice.companyId, low)
    } catch (error) {
      logger.error(
        { err: error, companyId: notice.companyId },
        'credits: notifying a change failed'
      )
    }
  }
  return outcomes
}

/*
| The locks: bump each account's version (an exclusive row lock; SQLite's write lock) and read the
| accounts as their previous holders left them, in one statement on PostgreSQL and SQLite:
| - PostgreSQL locks the group's rows in ascending company order (SELECT … ORDER BY … FOR UPDATE,
|   materialized before the UPDATE), so two groups touching the same companies cannot deadlock;
|   the statement's text does not depend on the group's size (`= ANY(?)`), so it is prepared once.
| - SQLite has one writer: the first write takes the lock for all of them.
| - MySQL has no UPDATE … RETURNING, and InnoDB's REPEATABLE READ snapshot starts at the first
|   plain read, so there every lock is taken first, in ascending order, and the accounts are read
|   after the last one.
*/
/* What toAccount reads, named (not `*`): a column added later does not change the answer's shape. */
const ACCOUNT_COLUMNS = [
  'id',
  'company_id',
  'balance',
  'held',
  'low_balance_threshold',
  'low_balance_notified',
  'next_expiry_at',
]
const LOCK_ACCOUNTS_PG =
  'WITH locked AS MATERIALIZED (SELECT id FROM credit_accounts WHERE company_id = ANY(?) ORDER BY company_id FOR UPDATE) ' +
  'UPDATE credit_accounts SET version = credit_accounts.version + 1, updated_at = ? FROM locked WHERE credit_accounts.id = locked.id ' +
  `RETURNING ${ACCOUNT_COLUMNS.map((column) => `credit_accounts.${column}`).join(', ')}`

async function lockAll(
  trx: TransactionClientContract,
  companies: number[],
  now: number,
  lockedRows?: any[]
) {
  const bump = (companyId: number) =>
    trx
      .from('credit_accounts')
      .where('company_id', companyId)
      .update({ version: trx.raw('version + 1'), updated_at: now })
  const lock = async (companyId: number) => {
    if (affectedRows(await bump(companyId)) > 0) return
    /* Rare: the account vanished since it was seen (a rolled-back test, a deleted company). */
    await insertAccount(trx, companyId, now)
    if (affectedRows(await bump(companyId)) === 0) throw new Error(`No company ${companyId}`)
  }
  const read = async (companyId: number) =>
    toAccount(await trx.from('credit_accounts').where('company_id', companyId).first())

  if (trx.dialect.name === 'mysql') {
    for (const companyId of companies) await lock(companyId)
    const accounts: AccountState[] = []
    for (const companyId of companies) accounts.push(await read(companyId))
    return accounts
  }
  let rows: any[]
  if (lockedRows) rows = lockedRows
  else if (trx.dialect.name === 'postgres') {
    rows = rawRows(await prepared(trx.rawQuery(LOCK_ACCOUNTS_PG, [companies, now])))
  } else {
    const list = paddedIn(companies)
    rows = rawRows(
      await trx.rawQuery(
        `UPDATE credit_accounts SET version = version + 1, updated_at = ? WHERE company_id IN ${list.sql} RETURNING ${ACCOUNT_COLUMNS.join(', ')}`,
        [now, ...list.values]
      )
    )
  }
  const locked = new Map(rows.map((row) => [Number(row.company_id), toAccount(row)]))
  const accounts: AccountState[] = []
  for (const companyId of companies) {
    const account = locked.get(companyId)
    if (account) accounts.push(account)
    else {
      await lock(companyId)
      accounts.push(await read(companyId))
    }
  }
  return accounts
}

/* `count` ids drawn from credit_entries' sequence; binds the table, the column and the count. */
const DRAW_ENTRY_IDS_PG =
  'nextval(s.name) AS id FROM (SELECT pg_get_serial_sequence(?, ?) AS name) AS s, generate_series(1, ?::int)'

/*
| The start of a group on PostgreSQL, run once its locks are held: the spendable grants of the
| companies with a spending write (as LedgerTx reads them for one company: unexpired, with
| credits left, in spending order, GRANTS_READ at most) and one entry id per spending write,
| drawn from the sequence. One statement whatever the group's size (so it is prepared once);
| the rows with no company are the ids.
*/
const START_GROUP_PG =
  'SELECT g.company_id, g.remaining, g.expires_at, g.id FROM unnest(?::int[]) AS c(company_id) ' +
  'CROSS JOIN LATERAL (SELECT id, company_id, remaining, expires_at FROM credit_grants ' +
  'WHERE credit_grants.company_id = c.company_id AND remaining > 0 AND (expires_at IS NULL OR expires_at > ?) ' +
  `ORDER BY ${spendingOrder()} LIMIT ${GRANTS_READ}) AS g ` +
  `UNION ALL SELECT NULL, NULL, NULL, ${DRAW_ENTRY_IDS_PG}`

/* Sends the group's locks and its start (the statements above), one behind the other. */
async function lockAndStart(
  connection: PgConnection,
  companies: number[],
  items: WriteRequest[],
  now: number
) {
  const spending = items.filter((item) => item.spends)
  const spendingCompanies = [...new Set(spending.map((item) => item.companyId))]
  const client = db.connection()
  const locking = send(connection, client, LOCK_ACCOUNTS_PG, [companies, now])
  let starting: Promise<any[]> | null = null
  try {
    starting = spending.length
      ? send(connection, client, START_GROUP_PG, [
          spendingCompanies as any,
          now,
          'credit_entries',
          'id',
          spending.length,
        ])
      : null
  } catch (error) {
    locking.catch(() => {})
    throw error
  }
  const [locked, started] = await Promise.all([locking, starting])
  return { locked, started, spendingCompanies }
}

async function lockedAndStarted(
  trx: TransactionClientContract,
  sent: Awaited<ReturnType<typeof lockAndStart>>,
  companies: number[],
  items: WriteRequest[],
  now: number
) {
  const accounts = await lockAll(trx, companies, now, sent.locked)
  if (sent.locked.length < companies.length) {
    /* Rare (an account vanished, locked the slow way): its grants read again behind its lock. */
    return { accounts, start: await startGroup(trx, items, now) }
  }
  return { accounts, start: sent.started ? groupStart(sent.spendingCompanies, sent.started) : null }
}

/* Without pipelining: the locks, then (PostgreSQL) the group's start behind them. */
async function lockedThenStarted(
  trx: TransactionClientContract,
  companies: number[],
  items: WriteRequest[],
  now: number
) {
  const accounts = await lockAll(trx, companies, now)
  return {
    accounts,
    start: trx.dialect.name === 'postgres' ? await startGroup(trx, items, now) : null,
  }
}

async function startGroup(trx: TransactionClientContract, items: WriteRequest[], now: number) {
  const spending = items.filter((item) => item.spends)
  if (!spending.length) return null
  const companies = [...new Set(spending.map((item) => item.companyId))]
  const rows = rawRows(
    await prepared(
      trx.rawQuery(START_GROUP_PG, [companies as any, now, 'credit_entries', 'id', spending.length])
    )
  )
  return groupStart(companies, rows)
}

function groupStart(companies: number[], rows: any[]) {
  const grants = new Map<number, GrantRow[]>(companies.map((companyId) => [companyId, []]))
  const ids: number[] = []
  for (const row of rows) {
    if (row.company_id === null) ids.push(Number(row.id))
    else {
      grants.get(Number(row.company_id))!.push({
        id: Number(row.id),
        remaining: Number(row.remaining),
        expiresAt: num(row.expires_at),
      })
    }
  }
  return { grants, ids }
}

/*
| A group's entry ids on PostgreSQL: those drawn by startGroup, one per consume (a consume appends
| one entry). Should they run out, later entries are inserted at once (LedgerTx.append). Unused
| ids (a refused consume's) are gaps, as a rolled-back insert leaves.
*/
function entryIds(drawn: number[]): EntryIds {
  const ids = drawn.sort((a, b) => a - b)
  return { take: () => ids.shift() ?? null }
}

/*
| The end of a group on PostgreSQL, one statement whatever its size (so it is prepared once): the
| deferred entries inserted (from JSON, with their drawn ids), the allocations inserted, each
| drawn grant's remainder and each account set, from arrays. The parts touch different tables,
| so running them in one snapshot changes nothing.
*/
const ENTRY_COLUMNS = [
  'id',
  'company_id',
  'type',
  'amount',
  'held_change',
  'balance_after',
  'held_after',
  'grant_id',
  'hold_id',
  'actor_type',
  'actor_id',
  'reason',
  'metadata',
  'idempotency_key',
  'created_at',
].join(', ')
const FINISH_TOGETHER_PG =
  `WITH entries AS (INSERT INTO credit_entries (${ENTRY_COLUMNS}) ` +
  `SELECT ${ENTRY_COLUMNS} FROM json_populate_recordset(NULL::credit_entries, ?::json)), ` +
  'allocations AS (INSERT INTO credit_allocations (entry_id, grant_id, amount) ' +
  'SELECT * FROM unnest(?::bigint[], ?::bigint[], ?::bigint[])), ' +
  'grants AS (UPDATE credit_grants SET remaining = drawn.remaining ' +
  'FROM unnest(?::bigint[], ?::bigint[]) AS drawn(id, remaining) WHERE credit_grants.id = drawn.id) ' +
  'UPDATE credit_accounts SET balance = ended.balance, held = ended.held, ' +
  'next_expiry_at = ended.next_expiry_at, low_balance_notified = ended.low_balance_notified, ' +
  'low_balance_threshold = ended.low_balance_threshold ' +
  'FROM unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::boolean[], ?::bigint[]) ' +
  'AS ended(id, balance, held, next_expiry_at, low_balance_notified, low_balance_threshold) ' +
  'WHERE credit_accounts.id = ended.id'

async function finishTogether(
  trx: TransactionClientContract,
  ends: Array<{ account: AccountState; draws: Draws }>
): Promise<{ finished: Promise<unknown> }> {
  const entries = ends.flatMap((end) => end.draws.entries)
  const allocations = ends.flatMap((end) => end.draws.allocations)
  const drawn = ends.flatMap((end) => end.draws.drawn)
  const accounts = ends.map((end) => end.account)
  /* Arrays bind as PostgreSQL arrays (NULL elements included); knex's types do not say so. */
  const arrays: any[] = [
    JSON.stringify(entries),
    allocations.map((allocation) => allocation.entry_id),
    allocations.map((allocation) => allocation.grant_id),
    allocations.map((allocation) => allocation.amount),
    drawn.map(([grantId]) => grantId),
    drawn.map(([, remaining]) => remaining),
    accounts.map((account) => account.id),
    accounts.map((account) => account.balance),
    accounts.map((account) => account.held),
    accounts.map((account) => account.nextExpiryAt),
    accounts.map((account) => account.lowBalanceNotified),
    accounts.map((account) => account.lowBalanceThreshold),
  ]
  const connection = await connectionOf(trx)
  /* Sent now, awaited with the COMMIT behind it (commitBehind). */
  return { finished: send(connection, trx, FINISH_TOGETHER_PG, arrays) }
}

/*
| The group's end statement and its COMMIT go out together (one round trip). PostgreSQL runs them
| in order: when it refuses the end statement the transaction is aborted, and the COMMIT behind
| it rolls it back. When node-postgres did not send the end statement at all (refusedUnsent), no
| COMMIT goes out: the group is rolled back and its writes run again, each alone.
*/
async function commitBehind(
  trx: TransactionClientContract,
  finishing: Promise<unknown>,
  commitFailed: (error: unknown) => never
) {
  const unsent = await refusedUnsent(finishing)
  if (unsent) {
    await trx.rollback().catch(() => {})
    throw new GroupRolledBack(unsent.error)
  }
  const [finished, committed] = await Promise.allSettled([finishing, trx.commit()])
  if (finished.status === 'rejected') {
    if (answeredByServer(finished.reason)) throw new GroupRolledBack(finished.reason)
    commitFailed(finished.reason)
  }
  if (committed.status === 'rejected') commitFailed(committed.reason)
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
  await tx.flush()
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
