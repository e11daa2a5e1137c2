import { createRequire } from 'node:module'

/*
| A transaction whose COMMIT fails must fail: knex (3.x, under Lucid) resolves `commit()` even when
| the database refused the COMMIT (a deferred constraint, a serialization failure, the connection
| lost or timed out) and passes the error only to the transaction's execution promise, which
| Lucid never reads (knex issues #3370 and #6141, still open). So `db.transaction(async (trx) =>
| …)` and `await trx.commit()` returned as if the work were stored, and every writer that answers
| after its commit (a 202 for telemetry, a webhook marked handled, a sign-up) could acknowledge
| what the database had rolled back. ADR 0014.
|
| `rejectFailedCommits` (AppProvider.register, so in every process) makes knex's commit and
| savepoint release wait for the execution promise: a failed COMMIT now rejects `commit()`, so
| Lucid's `commit()` throws, skips its `after:commit` hooks and the managed `db.transaction(cb)`
| rejects with the database's error. On SQLite a COMMIT refused for a deferred foreign key (or
| SQLITE_BUSY) leaves the transaction open on the only write connection: it is rolled back there
| before the error goes on, or every later transaction would fail ("cannot start a transaction
| within a transaction").
*/

interface KnexTransaction {
  transactor?: { executionPromise?: Promise<unknown> }
}
type End = (this: KnexTransaction, connection: unknown, value?: unknown) => Promise<unknown>
type TransactionClass = { prototype: Record<'commit' | 'release', End> }

const patched = Symbol.for('tandem.rejectFailedCommits')

/* knex as Lucid loads it (the same module instance Lucid's transactions are made from). */
function knexTransaction(): TransactionClass {
  const fromLucid = createRequire(import.meta.resolve('@adonisjs/lucid'))
  return fromLucid('knex/lib/execution/transaction.js')
}

/* The error says the connection is gone (not an answer that ended only the transaction). */
function connectionLost(error: unknown) {
  const e = (error ?? {}) as { severity?: unknown; fatal?: unknown; sqlMessage?: unknown }
  if (e.fatal === true) return true
  if (typeof e.severity === 'string') return e.severity === 'FATAL' || e.severity === 'PANIC'
  if (typeof e.sqlMessage === 'string') return false
  return true
}

/*
| When a COMMIT fails, before knex gives the connection back to its pool (this handler is attached
| to the execution promise before the COMMIT goes out, so it runs ahead of knex's release, which
| waits on that promise through two more steps). better-sqlite3 (a boolean `inTransaction`): a
| refused COMMIT may leave the transaction open on the only connection, so it is rolled back.
| PostgreSQL and MySQL: a COMMIT lost with its connection (the server ended the session, the socket
| broke) marks the connection disposed, as knex does once it sees the socket end, so the pool drops
| it instead of handing it to the next transaction, whose BEGIN would fail.
*/
function settleFailure(connection: unknown, committed: Promise<unknown>) {
  committed.catch((error) => {
    const sqlite = connection as { inTransaction?: unknown; exec?: (sql: string) => unknown }
    if (typeof sqlite?.inTransaction === 'boolean') {
      try {
        if (sqlite.inTransaction && typeof sqlite.exec === 'function') sqlite.exec('ROLLBACK')
      } catch {
        /* Ended by SQLite after all: nothing left open. */
      }
      return
    }
    const server = connection as { __knex__disposed?: unknown } | null
    if (server && connectionLost(error)) server.__knex__disposed ??= error
  })
}

/*
| PostgreSQL answers the COMMIT of a transaction that a failed statement had aborted with the tag
| ROLLBACK and no error: the callback caught the statement's error and went on, and everything
| the transaction wrote is gone. That must not read as a commit either.
*/
export class CommitRolledBack extends Error {
  readonly code = 'E_COMMIT_ROLLED_BACK'
  constructor() {
    super(
      'The database rolled the transaction back at COMMIT: one of its statements had failed (its error was caught and the transaction went on), so nothing of it is stored'
    )
  }
}

function rolledBack(result: unknown) {
  return (result as { response?: { command?: unknown } } | null)?.response?.command === 'ROLLBACK'
}

export function rejectFailedCommits(Transaction: TransactionClass = knexTransaction()) {
  const prototype = Transaction.prototype as TransactionClass['prototype'] & { [patched]?: true }
  if (prototype[patched]) return
  for (const end of ['commit', 'release'] as const) {
    const original = prototype[end]
    prototype[end] = function (connection, value) {
      const committed = this.transactor?.executionPromise
      if (!committed) return original.call(this, connection, value)
      if (end === 'commit') settleFailure(connection, committed)
      return original.call(this, connection, value).then(async (result) => {
        await committed
        if (end === 'commit' && rolledBack(result)) throw new CommitRolledBack()
        return result
      })
    }
  }
  prototype[patched] = true
}
