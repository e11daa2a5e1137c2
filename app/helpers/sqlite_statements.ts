/*
| How SQLite statements are prepared on every better-sqlite3 connection of the Lucid pool
| (config/database.ts): reused by their text, and with parameters the query planner cannot
| peek at.
|
| Reuse: knex prepares every statement anew; preparing was the largest single cost of an API
| write in a CPU profile (22% of a credits consume). Statements are kept per connection by
| their SQL text (bindings change, the plan does not; SQLite re-prepares by itself after a
| schema change). safeIntegers is reset on reuse because knex sets it only when a query asks.
| First in, first out: moving a hit to the back (LRU) measured slower on the credits hot path.
| Statements whose text depends on a count keep to a few shapes (sql_shapes.ts).
|
| Opaque parameters: SQLite's planner looks at the value bound to a parameter in a LIMIT, a
| LIKE, or an equality it weighs while ordering a join, and marks the statement to be
| re-prepared when that parameter is bound again. better-sqlite3 clears the bindings after
| every run, and clearing them re-prepares every such statement on its next run: the bearer
| token join went from ~10 µs to ~50 µs, every `.first()` (`limit ?`) paid ~11 µs more.
| SQLite does not look through a unary plus (`+?`): a no-op on a value, which has no
| affinity either way, so comparisons and index use are unchanged. We need no plan that
| depends on a bound value (no partial indexes, no ANALYZE statistics), so every parameter
| is written as `+?` (ADR 0012; measured in benchmarks/README.md, "SQLite statements planned
| without the bound values").
*/
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { rawRows } from '#app/helpers/query_results'

const STATEMENT_CACHE_SIZE = 500

export function isSqliteDialect(name: string) {
  return ['better-sqlite3', 'sqlite3', 'libsql'].includes(name)
}

/* The larger of two values: SQLite's two-argument MAX(), GREATEST() on PostgreSQL and MySQL. */
export function greatestFunction(dialect: string) {
  return isSqliteDialect(dialect) ? 'MAX' : 'GREATEST'
}

/* runMany/selectMany call better-sqlite3's own API; other SQLite drivers go through knex. */
function isBetterSqlite(trx: TransactionClientContract) {
  return trx.dialect.name === 'better-sqlite3'
}

type Statement = {
  reader: boolean
  safeIntegers: (on: boolean) => unknown
  run: (...values: unknown[]) => unknown
  all: (...values: unknown[]) => unknown
  get: (...values: unknown[]) => unknown
}

export function cachePreparedStatements(
  connection: { prepare: (sql: string) => any },
  options: { waitWhenBusy?: number } = {}
) {
  const prepare = connection.prepare.bind(connection)
  const cache = new Map<string, any>()
  connection.prepare = (sql: string) => {
    const cached = cache.get(sql)
    if (cached) return cached.safeIntegers(false)
    const prepared: Statement = prepare(opaqueParameters(sql))
    const statement = options.waitWhenBusy
      ? waitingWhenBusy(prepared, options.waitWhenBusy)
      : prepared
    if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!)
    cache.set(sql, statement)
    return statement
  }
}

/*
| Waiting for another connection's write lock without holding the event loop. SQLite's own busy
| handler (busy_timeout) sleeps on the calling thread: while an ace command or a second process
| writes, the server would answer nothing, not even a health check or a socket's ping, for up
| to the whole timeout. The app's connections set busy_timeout = 0 instead (config/database.ts)
| and a statement refused with SQLITE_BUSY runs again after a timer (1, 2, 4 … 25 ms), for up
| to `waitWhenBusy` ms in all, then fails with that SQLITE_BUSY as before. SQLITE_BUSY_SNAPSHOT
| is not waited for (SQLite does not either): that transaction read before the other wrote and
| can only be retried whole. A statement that runs at once returns as before; one that had to
| wait returns a promise, which knex and runMany/selectMany await.
*/
const RETRY_BUSY = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_RECOVERY'])

function waitingWhenBusy(statement: Statement, waitMs: number) {
  const attempt = (method: 'run' | 'all' | 'get', values: unknown[]) => {
    try {
      return statement[method](...values)
    } catch (error) {
      if (!RETRY_BUSY.has((error as { code?: string }).code ?? '')) throw error
      return retry(() => statement[method](...values), error, waitMs)
    }
  }
  const wrapper = {
    reader: statement.reader,
    safeIntegers(on: boolean) {
      statement.safeIntegers(on)
      return wrapper
    },
    run: (...values: unknown[]) => attempt('run', values),
    all: (...values: unknown[]) => attempt('all', values),
    get: (...values: unknown[]) => attempt('get', values),
  }
  return wrapper
}

async function retry(run: () => unknown, first: unknown, waitMs: number) {
  const giveUpAt = Date.now() + waitMs
  for (let pause = 1; ; pause = Math.min(pause * 2, 25)) {
    if (Date.now() >= giveUpAt) throw first
    await new Promise((resolve) => setTimeout(resolve, pause))
    try {
      return run()
    } catch (error) {
      if (!RETRY_BUSY.has((error as { code?: string }).code ?? '')) throw error
    }
  }
}

/*
| Every `?` parameter outside quotes and comments becomes `+?`. Quoted strings ('…' with ''
| inside), quoted names ("…", `…`, […]) and comments (-- …, /* … *\/) are copied as they are.
*/
export function opaqueParameters(sql: string) {
  if (!sql.includes('?')) return sql
  let out = ''
  let from = 0
  let i = 0
  while (i < sql.length) {
    const char = sql[i]
    if (char === "'" || char === '"' || char === '`') {
      i = afterQuoted(sql, i, char)
    } else if (char === '[') {
      i = after(sql, ']', i + 1)
    } else if (char === '-' && sql[i + 1] === '-') {
      i = after(sql, '\n', i + 2)
    } else if (char === '/' && sql[i + 1] === '*') {
      i = after(sql, '*/', i + 2)
    } else {
      if (char === '?') {
        out += sql.slice(from, i) + '+'
        from = i
      }
      i++
    }
  }
  return out + sql.slice(from)
}

/* The index after a quoted part starting at `start`; a doubled quote stays inside. */
function afterQuoted(sql: string, start: number, quote: string) {
  let i = start + 1
  while (i < sql.length) {
    if (sql[i] !== quote) i++
    else if (sql[i + 1] === quote) i += 2
    else return i + 1
  }
  return sql.length
}

function after(sql: string, end: string, from: number) {
  const at = sql.indexOf(end, from)
  return at < 0 ? sql.length : at + end.length
}

/*
| A hand-written statement with many values (a multi-row INSERT, a long IN list), run in a
| transaction. On SQLite it goes to the transaction's better-sqlite3 connection directly, through
| the statement cache above: knex's raw query scans the text for every `?` and checks every value
| on each run, about 4% of ingestion's CPU with 3,840 values per INSERT. The values must be what
| better-sqlite3 binds as they are (strings, numbers, bigints, null). Elsewhere (PostgreSQL,
| MySQL, other SQLite drivers): `trx.rawQuery`.
*/
export async function runMany(trx: TransactionClientContract, sql: string, values: unknown[]) {
  if (!isBetterSqlite(trx)) return void (await trx.rawQuery(sql, values as any[]))
  const connection = await trx.knexClient.client.acquireConnection()
  /* Awaited: on a threaded connection (sqlite_thread.ts) it returns a promise. */
  await connection.prepare(sql).run(values)
}

export async function selectMany<T = Record<string, any>>(
  trx: TransactionClientContract,
  sql: string,
  values: unknown[]
): Promise<T[]> {
  if (!isBetterSqlite(trx)) return rawRows<T>(await trx.rawQuery(sql, values as any[]))
  const connection = await trx.knexClient.client.acquireConnection()
  return await connection.prepare(sql).all(values)
}
