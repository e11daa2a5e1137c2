/*
| The baseline for the credits part of `npm run bench`: POST /api/v1/credits/consume written with
| bare node:http on the same database, doing the core of the work and nothing else:
|
|   1. the bearer token decoded, its row read by id, sha256(secret) compared, last_used_at set;
|   2. the JSON body read and its amount checked;
|   3. in one transaction, the conditional update that makes a balance safe under concurrency —
|      `UPDATE credit_accounts SET balance = balance - n … WHERE company_id = ? AND balance - held >= n`
|      (402 when no row matches) — and one ledger entry appended;
|   4. 201 `{ transactionId, balance, available }`.
|
| POST /api/v1/credits/consume/batch `{ consumes: [{ amount, reason }] }` does step 3 for each
| item, all in one transaction, and answers 200 with a result per item, as Tandem does.
|
| No middleware, framework, grant bookkeeping (which grant the credits came from, expiry) or
| idempotency. Env: PORT, DB_CONNECTION (sqlite | pg), SQLITE_PATH or DB_HOST/DB_PORT/DB_USER/
| DB_PASSWORD/DB_DATABASE. Prints `listening <port>` once ready.
*/
import { parseBearer, secretMatches } from './baseline_tokens.js'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { createRequire } from 'node:module'

type Row = Record<string, any>
type Store = {
  token(id: string): Promise<Row | undefined>
  touch(id: string, at: number): Promise<void>
  consume(companyId: number, amount: number, reason: string, at: number): Promise<Row | null>
  /* Each item's outcome (null: not enough credits), in one transaction. */
  consumeMany(
    companyId: number,
    items: Array<{ amount: number; reason: string }>,
    at: number
  ): Promise<Array<Row | null>>
}

const require = createRequire(import.meta.url)

function sqliteStore(): Store {
  const Database = require('better-sqlite3')
  const db = new Database(process.env.SQLITE_PATH)
  db.pragma('journal_mode = WAL')
  db.pragma('busy_timeout = 5000')
  db.pragma(`synchronous = ${process.env.SQLITE_SYNCHRONOUS === 'full' ? 'FULL' : 'NORMAL'}`)
  const token = db.prepare('SELECT * FROM auth_access_tokens WHERE id = ? AND type = ? LIMIT 1')
  const touch = db.prepare('UPDATE auth_access_tokens SET last_used_at = ? WHERE id = ?')
  const debit = db.prepare(
    'UPDATE credit_accounts SET balance = balance - ?, version = version + 1, updated_at = ? WHERE company_id = ? AND balance - held >= ? RETURNING balance, held'
  )
  const entry = db.prepare(
    "INSERT INTO credit_entries (company_id, type, amount, held_change, balance_after, held_after, actor_type, reason, created_at) VALUES (?, 'consume', ?, 0, ?, ?, 'token', ?, ?)"
  )
  const debitOne = (companyId: number, amount: number, reason: string, at: number) => {
    const account = debit.get(amount, at, companyId, amount)
    if (!account) return null
    const { lastInsertRowid } = entry.run(
      companyId,
      -amount,
      account.balance,
      account.held,
      reason,
      at
    )
    return { id: Number(lastInsertRowid), ...account }
  }
  const debitAndRecord = db.transaction(debitOne)
  const many = db.transaction(
    (companyId: number, items: Array<{ amount: number; reason: string }>, at: number) =>
      items.map((item) => debitOne(companyId, item.amount, item.reason, at))
  )
  return {
    token: async (id) => token.get(id, 'api_token'),
    touch: async (id, at) => void touch.run(at, id),
    consume: async (...args) => debitAndRecord.immediate(...args),
    consumeMany: async (...args) => many.immediate(...args),
  }
}

function pgStore(): Store {
  const { Pool } = require('pg')
  const pool = new Pool({
    host: process.env.DB_HOST,
    port: Number(process.env.DB_PORT ?? 5432),
    user: process.env.DB_USER,
    password: process.env.DB_PASSWORD,
    database: process.env.DB_DATABASE,
    max: 10,
  })
  return {
    async token(id) {
      const { rows } = await pool.query(
        'SELECT * FROM auth_access_tokens WHERE id = $1 AND type = $2 LIMIT 1',
        [id, 'api_token']
      )
      return rows[0]
    },
    async touch(id, at) {
      await pool.query('UPDATE auth_access_tokens SET last_used_at = $1 WHERE id = $2', [
        new Date(at),
        id,
      ])
    },
    async consume(companyId, amount, reason, at) {
      const [result] = await inTransaction((client) =>
        debitAndRecord(client, companyId, [{ amount, reason }], at)
      )
      return result
    },
    consumeMany: (companyId, items, at) =>
      inTransaction((client) => debitAndRecord(client, companyId, items, at)),
  }

  async function inTransaction<T>(work: (client: any) => Promise<T>) {
    const client = await pool.connect()
    try {
      await client.query('BEGIN')
      const result = await work(client)
      await client.query('COMMIT')
      return result
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {})
      throw error
    } finally {
      client.release()
    }
  }

  /* A consume that does not fit changes nothing: its UPDATE matched no row, so no entry. */
  async function debitAndRecord(
    client: any,
    companyId: number,
    items: Array<{ amount: number; reason: string }>,
    at: number
  ) {
    const results: Array<Row | null> = []
    for (const { amount, reason } of items) {
      const { rows } = await client.query(
        'UPDATE credit_accounts SET balance = balance - $1, version = version + 1, updated_at = $2 WHERE company_id = $3 AND balance - held >= $1 RETURNING balance, held',
        [amount, at, companyId]
      )
      if (!rows[0]) {
        results.push(null)
        continue
      }
      const inserted = await client.query(
        "INSERT INTO credit_entries (company_id, type, amount, held_change, balance_after, held_after, actor_type, reason, created_at) VALUES ($1, 'consume', $2, 0, $3, $4, 'token', $5, $6) RETURNING id",
        [companyId, -amount, rows[0].balance, rows[0].held, reason, at]
      )
      results.push({
        id: Number(inserted.rows[0].id),
        balance: rows[0].balance,
        held: rows[0].held,
      })
    }
    return results
  }
}

const store = process.env.DB_CONNECTION === 'pg' ? pgStore() : sqliteStore()

function send(response: ServerResponse, status: number, body: unknown) {
  const json = JSON.stringify(body)
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(json),
  })
  response.end(json)
}
const error = (response: ServerResponse, status: number, code: string) =>
  send(response, status, { errors: [{ code, message: code }] })

async function readJson(request: IncomingMessage) {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}')
}

/* The token's row when the bearer token is valid (and marked used), else a 401 sent. */
async function authenticate(request: IncomingMessage, response: ServerResponse) {
  const bearer = parseBearer(request.headers.authorization)
  if (!bearer) return void error(response, 401, 'E_UNAUTHORIZED_ACCESS')
  const { id, plain } = bearer
  const token = await store.token(id)
  if (!token || !secretMatches(token.hash, plain))
    return void error(response, 401, 'E_UNAUTHORIZED_ACCESS')
  await store.touch(id, Date.now())
  return token
}

const validItem = (item: any) =>
  item !== null &&
  typeof item === 'object' &&
  Number.isSafeInteger(item.amount) &&
  item.amount >= 1 &&
  typeof item.reason === 'string'

async function consume(request: IncomingMessage, response: ServerResponse) {
  const token = await authenticate(request, response)
  if (!token) return
  const now = Date.now()
  const body = await readJson(request)
  if (!validItem(body)) return error(response, 422, 'E_VALIDATION_ERROR')
  const result = await store.consume(Number(token.company_id), body.amount, body.reason, now)
  if (!result) return error(response, 402, 'E_INSUFFICIENT_CREDITS')
  const balance = Number(result.balance)
  send(response, 201, {
    transactionId: result.id,
    balance,
    available: balance - Number(result.held),
  })
}

async function consumeBatch(request: IncomingMessage, response: ServerResponse) {
  const token = await authenticate(request, response)
  if (!token) return
  const body = await readJson(request)
  const items = body?.consumes
  if (!Array.isArray(items) || items.length < 1 || items.length > 100 || !items.every(validItem))
    return error(response, 422, 'E_VALIDATION_ERROR')
  const outcomes = await store.consumeMany(Number(token.company_id), items, Date.now())
  let last: Row | null = null
  const results = outcomes.map((result) => {
    if (!result) return { status: 402, error: { code: 'E_INSUFFICIENT_CREDITS' } }
    last = result
    const balance = Number(result.balance)
    return {
      status: 201,
      transactionId: result.id,
      balance,
      available: balance - Number(result.held),
    }
  })
  const consumed = outcomes.filter(Boolean).length
  const end = last as Row | null
  send(response, 200, {
    consumed,
    refused: items.length - consumed,
    balance: end ? Number(end.balance) : null,
    available: end ? Number(end.balance) - Number(end.held) : null,
    results,
  })
}

const routes: Record<string, typeof consume> = {
  '/api/v1/credits/consume': consume,
  '/api/v1/credits/consume/batch': consumeBatch,
}

const server = createServer((request, response) => {
  const route = request.method === 'POST' ? routes[request.url ?? ''] : undefined
  if (route) {
    route(request, response).catch((problem) => {
      console.error(problem)
      if (!response.headersSent) error(response, 500, 'E_SERVER_ERROR')
    })
  } else error(response, 404, 'E_ROUTE_NOT_FOUND')
})

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address()
  console.log(`listening ${typeof address === 'object' && address ? address.port : ''}`)
})

const stop = () => {
  server.close(() => process.exit(0))
  server.closeAllConnections()
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
