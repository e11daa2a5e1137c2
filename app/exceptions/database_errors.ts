import { createRequire } from 'node:module'
import { ApiError } from '#app/exceptions/api_error'

/*
| Database failures that are not the request's fault and pass on their own: the database is
| unreachable or restarting, the connection was lost, or it is busy (a lock held too long, a
| deadlock, the pool exhausted). Clients get 503 with Retry-After and a stable code, so desktop
| clients and scripts back off and send again instead of treating a 500 as final (ADR 0015).
| Every write API is safe to send again (telemetry by event id, credits by idempotency key,
| webhooks by event id): a COMMIT lost with its connection may have gone through (ADR 0014),
| and the retry then finds it done.
|
| - E_DATABASE_UNAVAILABLE: cannot connect, or the connection broke (PostgreSQL SQLSTATE class
|   08 but 08P01, 57P01-57P03 and 57P05, 53300 too many connections, 25006 read-only after a
|   failover; MySQL/MariaDB's --read-only server, killed connections and mysql2's fatal errors
|   but those of a wrong configuration; node-postgres' code-less "Connection terminated" / "not
|   queryable" errors and its connection timeout (DB_CONNECT_TIMEOUT_MS, a server that accepts
|   but never answers);
|   network errors such as ECONNREFUSED, but only those raised by a database call).
| - E_DATABASE_BUSY: SQLite's write lock held past the wait (SQLITE_BUSY), deadlocks and
|   serialization failures, lock wait timeouts, no free pooled connection in time.
|
| The 503 keeps the driver's error as its `cause`, so the log line shows what happened.
*/
const UNAVAILABLE = new Set([
  '57P01', // admin_shutdown (also pg_terminate_backend)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, recovering)
  '57P05', // idle_session_timeout
  '53300', // too_many_connections
  '25006', // read_only_sql_transaction: a failover left this connection on a standby
  'PROTOCOL_CONNECTION_LOST',
  'ER_CONNECTION_KILLED',
  'ER_SERVER_SHUTDOWN',
  'ER_CON_COUNT_ERROR',
  'ER_TOO_MANY_USER_CONNECTIONS',
  'ER_USER_LIMIT_REACHED', // MariaDB: max_user_connections (not fatal in mysql2)
  'E_DATABASE_CIRCUIT_OPEN', // this process stopped trying for a moment (below)
])
/*
| MySQL/MariaDB's read-only server (a failover left this connection on a replica, or the primary
| is being switched over). The same code is raised by unrelated options (--skip-grant-tables,
| --secure-file-priv), so only the read-only ones count.
*/
const READ_ONLY_OPTION = /running with the --(?:super-)?read-only option/
/* MariaDB's "Connection was killed": mysql2 knows no name for it (no `code`, not fatal). */
const MARIADB_CONNECTION_KILLED = 1927

/* Network failures: any outside service raises these too, so only a database call's count. */
const fromDatabase = new WeakSet<object>()
const NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
])

/* mysql2 marks these fatal too, but they are a wrong configuration, not an outage: 500. */
const MISCONFIGURED = new Set([
  'ER_ACCESS_DENIED_ERROR',
  'ER_DBACCESS_DENIED_ERROR',
  'ER_BAD_DB_ERROR',
  'HANDSHAKE_SSL_ERROR',
  'HANDSHAKE_NO_SSL_SUPPORT',
])

const BUSY = new Set([
  'SQLITE_BUSY',
  'SQLITE_BUSY_RECOVERY',
  'SQLITE_BUSY_SNAPSHOT',
  'SQLITE_BUSY_TIMEOUT',
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '55P03', // lock_not_available
  'ER_LOCK_DEADLOCK',
  'ER_LOCK_WAIT_TIMEOUT',
])

/*
| node-postgres' own errors for a lost connection carry no code, only these exact messages
| (knex prefixes the statement: "<sql> - <message>").
*/
const PG_LOST =
  /(?:^| - )(?:Connection terminated(?: unexpectedly)?|Client has encountered a connection error and is not queryable|Client was closed and is not queryable)$/

/* node-postgres' connectionTimeoutMillis ran out: a generic message, so a database call's only. */
const PG_CONNECT_TIMEOUT = 'timeout expired'

export const RETRY_AFTER_SECONDS = { unavailable: 2, busy: 1 }

type DriverError = {
  code?: unknown
  errno?: unknown
  name?: unknown
  message?: unknown
  fatal?: unknown
  status?: unknown
}

function unavailable(error: DriverError) {
  const code = typeof error.code === 'string' ? error.code : undefined
  if (code === undefined)
    return (
      error.errno === MARIADB_CONNECTION_KILLED ||
      error.fatal === true ||
      (typeof error.message === 'string' && PG_LOST.test(error.message)) ||
      (error.message === PG_CONNECT_TIMEOUT && fromDatabase.has(error))
    )
  if (UNAVAILABLE.has(code)) return true
  if (code === 'ER_OPTION_PREVENTS_STATEMENT')
    return typeof error.message === 'string' && READ_ONLY_OPTION.test(error.message)
  if (code.startsWith('08') && code.length === 5 && code !== '08P01') return true
  if (NETWORK.has(code)) return fromDatabase.has(error)
  return error.fatal === true && !MISCONFIGURED.has(code)
}

/** The 503 to answer for a passing database failure, or null for any other error. */
export function databaseUnavailable(error: unknown): ApiError | null {
  if (!error || typeof error !== 'object' || error instanceof ApiError) return null
  const driverError = error as DriverError
  /* Already an HTTP answer (the body parser's 400 for bad JSON, say): not the database's. */
  if (typeof driverError.status === 'number') return null
  if (unavailable(driverError))
    return new ApiError(
      'E_DATABASE_UNAVAILABLE',
      'The database cannot be reached right now. Try again in a moment.',
      { status: 503, retryAfter: RETRY_AFTER_SECONDS.unavailable, cause: error }
    )
  const code = driverError.code
  if ((typeof code === 'string' && BUSY.has(code)) || driverError.name === 'KnexTimeoutError')
    return new ApiError('E_DATABASE_BUSY', 'The database is busy. Try again in a moment.', {
      status: 503,
      retryAfter: RETRY_AFTER_SECONDS.busy,
      cause: error,
    })
  return null
}

/*
| The errors raised by a database call. Statements and connections through knex go through its
| Client's query() and acquireConnection() (the dialects do not override them): wrapping those
| two marks their rejections. The statements pg_statements.ts sends on the node-postgres
| connection itself (pipelined groups, COPY) bypass knex: config/database.ts marks those from
| the connection's 'error' event, which node-postgres emits with the same error object before it
| fails the waiting statements. Called once, from AppProvider.register.
*/
const patched = Symbol.for('tandem.markDatabaseErrors')

export function markDatabaseError(error: unknown) {
  if (error && typeof error === 'object') fromDatabase.add(error)
}

type ClientClass = { prototype: Record<string | symbol, any> }

export function markDatabaseErrors() {
  const fromLucid = createRequire(import.meta.resolve('@adonisjs/lucid'))
  const Client = fromLucid('knex/lib/client.js') as ClientClass
  if (Client.prototype[patched]) return
  Client.prototype[patched] = true
  const query = Client.prototype.query as (...args: unknown[]) => Promise<unknown>
  Client.prototype.query = function (this: unknown, ...args: unknown[]) {
    return query.apply(this, args).catch((error: unknown) => {
      markDatabaseError(error)
      throw error
    })
  }
  const acquire = Client.prototype.acquireConnection as (this: KnexClient) => Promise<unknown>
  Client.prototype.acquireConnection = function (this: KnexClient) {
    return acquireThroughBreaker(this, () => acquire.call(this))
  }
}

/*
| A circuit breaker per database connection (knex client). Once a new connection fails as an
| outage (refused, timed out, the server starting up or shutting down), requests stop trying for
| OPEN_MS: they are answered 503 E_DATABASE_UNAVAILABLE at once instead of each waiting for an
| attempt of its own. That matters when the server is silent (hung, or a network dropping
| packets): every attempt then takes DB_CONNECT_TIMEOUT_MS, the pool makes DB_POOL_MAX at a
| time, and the requests queued behind them waited up to knex's 60 s acquire timeout. Requests
| already queued in the pool when the breaker opens are answered too (taken out of the queue, so
| no attempt is made for them). While it is open, a request still gets a connection the pool
| holds free; after OPEN_MS one request tries to connect (those arriving meanwhile are answered
| at once): it succeeding closes the breaker, it failing opens it again. Only connecting opens
| it: a statement's error never does.
*/
const OPEN_MS = RETRY_AFTER_SECONDS.unavailable * 1000

type PendingAcquire = { reject(error: unknown): void }
type KnexClient = {
  pool?: { numFree(): number; pendingAcquires?: PendingAcquire[] } | null
}

/*
| What a request gets while the breaker is open: the last attempt's message (so logs that count
| repeats of one error see one error), its own name and code, the attempt's error as its cause.
*/
export class DatabaseCircuitOpen extends Error {
  readonly name = 'DatabaseCircuitOpen'
  readonly code = 'E_DATABASE_CIRCUIT_OPEN'
  constructor(
    cause: unknown,
    readonly retryAt: number
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause })
  }
}

class Breaker {
  openUntil = 0
  open = false
  probing = false
  lastError: unknown = null
  /* Bumped when the breaker closes: a failure of an attempt begun before does not reopen it. */
  generation = 0

  refusal() {
    const error = new DatabaseCircuitOpen(this.lastError, this.openUntil)
    markDatabaseError(error)
    return error
  }

  trip(client: KnexClient, error: unknown) {
    this.open = true
    this.openUntil = Date.now() + OPEN_MS
    this.lastError = error
    /* The requests queued in the pool (tarn): answered now, and no attempt is made for them. */
    for (const pending of [...(client.pool?.pendingAcquires ?? [])]) pending.reject(this.refusal())
  }

  close() {
    this.open = false
    this.generation++
  }
}

/*
| "Too many connections" is answered 503 but does not open the breaker: the server is up and
| this process's pooled connections still work (other replicas hold the rest).
*/
const SERVER_FULL = new Set([
  '53300',
  'ER_CON_COUNT_ERROR',
  'ER_TOO_MANY_USER_CONNECTIONS',
  'ER_USER_LIMIT_REACHED', // MariaDB's max_user_connections
])

function isOutage(error: unknown) {
  if (error instanceof DatabaseCircuitOpen) return false
  const code = (error as DriverError | null)?.code
  if (typeof code === 'string' && SERVER_FULL.has(code)) return false
  return databaseUnavailable(error)?.code === 'E_DATABASE_UNAVAILABLE'
}

const breakers = new WeakMap<object, Breaker>()

function breakerOf(client: object) {
  let breaker = breakers.get(client)
  if (!breaker) breakers.set(client, (breaker = new Breaker()))
  return breaker
}

function acquireThroughBreaker(client: KnexClient, acquire: () => Promise<unknown>) {
  const breaker = breakerOf(client)
  const generation = breaker.generation
  if (breaker.open && !((client.pool?.numFree() ?? 0) > 0)) {
    if (breaker.probing || Date.now() < breaker.openUntil) return Promise.reject(breaker.refusal())
    /* This request is the one that tries. */
    breaker.probing = true
    return acquire().then(
      (connection) => {
        breaker.probing = false
        breaker.close()
        return connection
      },
      (error: unknown) => {
        markDatabaseError(error)
        breaker.probing = false
        /* Not an outage (a wrong password, say): connecting works again as far as we know. */
        if (isOutage(error)) breaker.trip(client, error)
        else breaker.close()
        throw error
      }
    )
  }
  return acquire().catch((error: unknown) => {
    markDatabaseError(error)
    if (isOutage(error) && !breaker.open && generation === breaker.generation)
      breaker.trip(client, error)
    throw error
  })
}
