/*
| PostgreSQL: the API's hot statements are prepared once per connection and then only bound and
| executed (ADR 0013).
|
| knex sends every statement unnamed, and PostgreSQL parses, analyses and plans an unnamed
| statement on every run. For the bearer-token join (four tables, sixty columns) planning alone
| took ~0.6 ms of the server's CPU per request, more than running it. A statement marked with
| `prepared()` is sent with a name instead: node-postgres parses it once per connection, and
| PostgreSQL plans it afresh for its first five runs, then keeps a generic plan when that is no
| more costly. Only statements whose best plan does not depend on the bound values are marked
| (lookups by primary key or by company, the ledger's writes); dashboards and searches, whose
| plans do, stay unnamed.
|
| Schema changes: PostgreSQL re-plans a prepared statement after DDL on its tables, but one whose
| answer has a `*` fails if its table gains or loses a column ("cached plan must not change result
| type", SQLSTATE 0A000), which happens to old processes while a deployment's migration runs. So
| marked statements name their columns; should one still fail that way, its name is forgotten and
| it is prepared again under a new name on its next run. Each connection names at most
| MAX_PREPARED texts; beyond that statements run unnamed, so a text that varies cannot fill the
| server's memory.
*/
import { AsyncLocalStorage } from 'node:async_hooks'
import { createRequire } from 'node:module'
import type { QueryClientContract, TransactionClientContract } from '@adonisjs/lucid/types/database'

export const MAX_PREPARED = 100

type PgQueryConfig = { text: string; values?: unknown[]; name?: string; prepare?: boolean }
type Callback = (error: (Error & { code?: string }) | null, result?: unknown) => void
export type PgConnection = { query: (config: any, ...rest: any[]) => any }

/** Marks a Lucid query (select, update, insert or raw) to run as a named statement on PostgreSQL. */
export function prepared<
  T extends { client: Pick<QueryClientContract, 'dialect'>; knexQuery: { options: Function } },
>(query: T): T {
  if (query.client.dialect.name === 'postgres') query.knexQuery.options({ prepare: true })
  return query
}

/*
| The pool's afterCreate hook (config/database.ts): names the marked statements of a connection,
| and holds back its socket writes until the current turn of the event loop has run.
|
| In pipeline mode node-postgres writes each statement as it is sent, one system call each
| (writev of its parse, bind, execute and sync messages). Statements sent in the same tick (a
| ledger group's BEGIN and the statements sent behind it, its locks and reads; the statements
| allAnswered sends together) are held until the tick's callbacks and promise jobs have run and
| leave in one write. (A group's end statement and its COMMIT still leave in two: commitBehind
| waits a tick between them.) In a CPU profile of the credits benchmark on PostgreSQL, writev was
| 15% of the server's time. A statement waits at most for the rest of the current turn's work
| (other requests' included); the uncork runs before the event loop polls for I/O again.
*/
export function namePreparedStatements(connection: PgConnection) {
  const corker = corkUntilNextTick(connection)
  const query = connection.query.bind(connection)
  const names = new Map<string, string>()
  let created = 0
  connection.query = (config: unknown, ...rest: unknown[]) => {
    corker()
    if (!isMarked(config)) {
      const result = query(config, ...rest)
      if ((config as PgQueryConfig | null)?.text === 'BEGIN;') sendBehindBegin(connection)
      return result
    }
    const plain: PgQueryConfig = { ...config }
    delete plain.prepare
    let name = names.get(plain.text)
    if (name === undefined && created < MAX_PREPARED) {
      name = `tandem_${++created}`
      names.set(plain.text, name)
    }
    if (name === undefined) return query(plain, ...rest)
    const callback = rest[0]
    if (typeof callback !== 'function') return query({ ...plain, name }, ...rest)
    return query({ ...plain, name }, (error: Parameters<Callback>[0], result: unknown) => {
      /*
      | Prepared anew, under a new name, on its next run: when the table changed under the
      | statement (0A000), when the server no longer knows the name (26000, e.g. after a
      | DEALLOCATE ALL from a pooler), and when node-postgres refused a value before binding it (no
      | SQLSTATE): it then closes the statement it had just parsed but still counts it as parsed.
      */
      const forgotten = error?.code === '0A000' || error?.code === '26000'
      if (error && (forgotten || !answeredByServer(error))) {
        if (names.get(plain.text) === name) names.delete(plain.text)
      }
      ;(callback as Callback)(error, result)
    })
  }
}

/* `cork()` on the connection's socket at most once per tick, `uncork()` on the next tick. */
function corkUntilNextTick(connection: PgConnection) {
  let corked = false
  const uncork = (stream: { uncork: () => void }) => {
    corked = false
    stream.uncork()
  }
  return () => {
    const stream = (connection as { connection?: { stream?: any } }).connection?.stream
    if (corked || typeof stream?.cork !== 'function') return
    corked = true
    stream.cork()
    process.nextTick(uncork, stream)
  }
}

/*
| Statements sent one behind the other on a transaction's connection without waiting for each
| answer (node-postgres' pipeline mode, config/database.ts): PostgreSQL runs them in the order sent,
| each in its own snapshot, so a statement placed behind a lock sees what the lock's previous
| holder committed. `connectionOf` once, then `send` for each statement, in order, before awaiting
| any of them. Bypasses Lucid's query events, like copyRows.
*/
export type PgTransactionConnection = PgConnection & { readonly pipeline: boolean }

export async function connectionOf(
  trx: TransactionClientContract
): Promise<PgTransactionConnection> {
  return (trx.knexClient as any).client.acquireConnection()
}

/*
| A transaction whose first statements go out right behind its BEGIN (one round trip instead of
| one for the BEGIN and one for them): `follow` gets the transaction's connection as soon as knex
| has sent the BEGIN on it and sends its statements with `send`. The connection wrapper
| (namePreparedStatements) finds `follow` through the async context of the `db.transaction()` call.
*/
type Behind = {
  follow: (connection: PgConnection) => Promise<unknown>
  sent?: Promise<unknown>
  done?: boolean
}
const behindBegin = new AsyncLocalStorage<Behind>()

/*
| Once per beginWith: marked before `follow` runs, and closed when the transaction has begun, so
| neither a statement `follow` sends nor a later BEGIN in the same async context sends it again.
*/
function sendBehindBegin(connection: PgConnection) {
  const behind = behindBegin.getStore()
  if (!behind || behind.done) return
  behind.done = true
  behind.sent = behind.follow(connection)
  /*
  | Nothing awaits it until the BEGIN is answered: a statement node-postgres refuses before that
  | would be an unhandled rejection (the process ends). Marked handled; `followed` still rejects.
  */
  behind.sent.catch(() => {})
}

export async function beginWith<T>(
  client: QueryClientContract,
  follow: (connection: PgConnection) => Promise<T>
): Promise<{ trx: TransactionClientContract; followed: Promise<T> }> {
  const behind: Behind = { follow }
  let trx: TransactionClientContract
  try {
    trx = await behindBegin.run(behind, () => client.transaction())
  } catch (error) {
    behind.sent?.catch(() => {})
    throw error
  } finally {
    behind.done = true
  }
  /* Not sent behind the BEGIN (no wrapped connection): sent now, inside the transaction. */
  behind.sent ??= follow(await connectionOf(trx))
  return { trx, followed: behind.sent as Promise<T> }
}

/**
 * Sends `text` (knex's `?` placeholders) now; resolves with its rows. Throws at once when a value
 * cannot be written (node-postgres refuses it at bind time: the statement is then closed, never
 * executed), so a statement meant to follow it (a COMMIT) is not sent either. node-postgres
 * reports its other refusals on the next tick: see `refusedUnsent`.
 */
export function send(
  connection: PgConnection,
  trx: Pick<QueryClientContract, 'knexRawQuery'>,
  text: string,
  values: unknown[],
  options: { prepare?: boolean } = {}
): Promise<any[]> {
  const native = trx
    .knexRawQuery(text, values as any)
    .toSQL()
    .toNative()
  const config: PgQueryConfig = { text: native.sql, values: native.bindings as unknown[] }
  if (options.prepare !== false) config.prepare = true
  let resolve!: (rows: any[]) => void
  let reject!: (error: unknown) => void
  const rows = new Promise<any[]>((ok, fail) => {
    resolve = ok
    reject = fail
  })
  let sending = true
  let refusedAtOnce: { error: unknown } | null = null
  connection.query(config, (error: Parameters<Callback>[0], result?: { rows: any[] }) => {
    if (error && sending) refusedAtOnce = { error }
    if (error) reject(error)
    else resolve(result!.rows)
  })
  sending = false
  if (refusedAtOnce) {
    rows.catch(() => {})
    throw (refusedAtOnce as { error: unknown }).error
  }
  return rows
}

/*
| Resolves with node-postgres' refusal of `statement` when it was never sent, or null when it went
| out. In pipeline mode node-postgres reports a statement it cannot submit (a prepared name already
| used for another text, a connection no longer queryable) on the next tick rather than at once,
| so a COMMIT queued right behind it would commit the transaction without it. Waiting one tick
| costs no round trip: the COMMIT still goes out before the statement's answer comes back.
*/
export async function refusedUnsent(
  statement: Promise<unknown>
): Promise<{ error: unknown } | null> {
  let refusal: { error: unknown } | null = null
  statement.catch((error) => {
    if (!answeredByServer(error)) refusal = { error }
  })
  /* node-postgres' tick was queued when the statement was; its rejection runs before this resumes. */
  await new Promise<void>((resolve) => process.nextTick(resolve))
  return refusal
}

/**
 * Awaits statements in flight together on one connection, like Promise.all, but waits for every
 * one: the first one's error is thrown (the ones behind it only say the transaction was aborted),
 * and none is still running when the caller rolls back.
 */
export async function allAnswered<T extends readonly unknown[]>(
  statements: readonly [...{ [K in keyof T]: Promise<T[K]> }]
): Promise<T> {
  const settled = await Promise.allSettled(statements)
  for (const outcome of settled) if (outcome.status === 'rejected') throw outcome.reason
  return settled.map((outcome) => (outcome as PromiseFulfilledResult<unknown>).value) as any
}

/** An error PostgreSQL itself answered (it has a SQLSTATE), not one of the connection or driver. */
export function answeredByServer(error: unknown) {
  return (
    error instanceof Error &&
    typeof (error as { severity?: unknown }).severity === 'string' &&
    typeof (error as { code?: unknown }).code === 'string'
  )
}

function isMarked(config: unknown): config is PgQueryConfig & { prepare: true } {
  return (
    typeof config === 'object' &&
    config !== null &&
    (config as PgQueryConfig).prepare === true &&
    typeof (config as PgQueryConfig).text === 'string'
  )
}

/*
| Many rows into one table on PostgreSQL: `COPY … FROM STDIN` in text format, on the connection of
| the given transaction. PostgreSQL's cheapest way in: no statement to parse or plan, no arrays
| to decode, rows written to the table in bulk. For telemetry's events it cost PostgreSQL ~20%
| less CPU per event than one `INSERT … SELECT * FROM unnest(…)` with an array per column, which
| had replaced a multi-row `VALUES` list of 3,840 parameters (benchmarks/README.md). A COPY has
| no ON CONFLICT: a duplicate key fails it, and the transaction, like a plain INSERT.
| Values: strings, numbers, booleans or null (`\N`); backslash, tab, newline and carriage return
| are escaped, so `\.` or a tab in a value is data, never a delimiter. The statement bypasses
| Lucid's query events (not in the debug log). Await it before anything else goes out on the
| transaction: on a pipelined connection (config/database.ts) a statement sent during the COPY
| would reach PostgreSQL in the middle of it, which it answers with FATAL 08P01 (protocol
| violation) and closes the connection.
*/
export async function copyRows(
  trx: TransactionClientContract,
  table: string,
  columns: readonly string[],
  values: unknown[]
) {
  const payload = Buffer.from(copyText(values, columns.length))
  const connection = await (trx.knexClient as any).client.acquireConnection()
  await copyInto(connection, `COPY ${table} (${columns.join(', ')}) FROM STDIN`, payload)
}

/** Runs `COPY … FROM STDIN` on a node-postgres client with `payload` as its data. */
export function copyInto(
  connection: { query: (query: any) => unknown },
  statement: string,
  payload: Buffer
) {
  const CopyIn = copyInQuery()
  return new Promise<void>((resolve, reject) => {
    connection.query(new CopyIn(statement, payload, (error) => (error ? reject(error) : resolve())))
  })
}

/** Rows given as one flat list, `width` values each, in COPY's text format. */
export function copyText(values: unknown[], width: number) {
  if (values.length % width !== 0) {
    throw new Error(`copyText: ${values.length} values are not rows of ${width}`)
  }
  let text = ''
  for (const [index, value] of values.entries()) {
    text += copyField(value)
    text += (index + 1) % width === 0 ? '\n' : '\t'
  }
  return text
}

const COPY_SPECIAL = /[\\\t\n\r]/
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' }

function copyField(value: unknown): string {
  if (value === null || value === undefined) return '\\N'
  if (typeof value === 'string') {
    return COPY_SPECIAL.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]) : value
  }
  if (typeof value === 'number' || typeof value === 'bigint') return String(value)
  if (typeof value === 'boolean') return value ? 't' : 'f'
  throw new Error(`copyText: cannot write a ${typeof value}`)
}

/*
| A node-postgres query that answers PostgreSQL's CopyInResponse: the rows in one CopyData
| message, then CopyDone; the statement's outcome (or its error) reaches the callback. Made on
| first use, so a process on SQLite never loads the driver.
*/
type CopyInQuery = new (
  text: string,
  payload: Buffer,
  callback: (error: Error | null) => void
) => object
let copyIn: CopyInQuery | undefined

function copyInQuery(): CopyInQuery {
  if (copyIn) return copyIn
  const { Query } = createRequire(import.meta.url)('pg')
  copyIn = class CopyIn extends Query {
    #payload: Buffer
    constructor(text: string, payload: Buffer, callback: (error: Error | null) => void) {
      super(text, undefined, callback)
      this.#payload = payload
    }

    handleCopyInResponse(connection: {
      sendCopyFromChunk: (chunk: Buffer) => void
      endCopyFrom: () => void
    }) {
      connection.sendCopyFromChunk(this.#payload)
      connection.endCopyFrom()
    }
  }
  return copyIn
}
