/*
| The baseline for the telemetry part of `npm run bench`: POST /api/v1/telemetry/batch with bare
| node:http on the same database, doing the core of the work and nothing else:
|
|   1. the bearer token checked (row by id, sha256 compared), last_used_at set;
|   2. the JSON body read, each event's id, type, name and timestamp checked;
|   3. in one transaction: the installation row updated (its lock), the batch's ids looked up,
|      the new events inserted in one statement (on PostgreSQL one COPY, like Tandem), the day
|      rollup upserted, events_received added;
|   4. 202 `{ accepted, duplicates, rejected: [] }`.
|
| No framework, rate limits, gzip, error grouping or live feed. Env like baseline_credits.ts.
*/
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { createRequire } from 'node:module'
import { parseBearer, secretMatches } from './baseline_tokens.js'
import { copyInto, copyText } from '#app/helpers/pg_statements'

type Row = Record<string, any>
type Batch = { installationId: string; appVersion: string; platform: string; events: Row[] }
type Store = {
  token(id: string): Promise<Row | undefined>
  touch(id: string, at: number): Promise<void>
  ingest(companyId: number, batch: Batch, at: number): Promise<number>
}

const require = createRequire(import.meta.url)
const COLUMNS =
  'event_id, company_id, installation_id, type, name, level, message, props, session_id, stack, app_version, platform, occurred_at, received_at'
const WIDTH = 14
const installations = new Map<string, number>()

function rows(companyId: number, installationId: number, batch: Batch, at: number) {
  return batch.events.flatMap((e) => [
    e.id,
    companyId,
    installationId,
    e.type,
    e.name,
    e.level ?? null,
    e.message ?? null,
    e.props ? JSON.stringify(e.props) : null,
    e.sessionId ?? null,
    e.stack ?? null,
    batch.appVersion,
    batch.platform,
    e.at,
    at,
  ])
}

function sqliteStore(): Store {
  const Database = require('better-sqlite3')
  const db = new Database(process.env.SQLITE_PATH)
  db.pragma('journal_mode = WAL')
  db.pragma('busy_timeout = 5000')
  db.pragma(`synchronous = ${process.env.SQLITE_SYNCHRONOUS === 'full' ? 'FULL' : 'NORMAL'}`)
  const token = db.prepare('SELECT * FROM auth_access_tokens WHERE id = ? AND type = ? LIMIT 1')
  const touch = db.prepare('UPDATE auth_access_tokens SET last_used_at = ? WHERE id = ?')
  const find = db.prepare('SELECT id FROM telemetry_installations WHERE uuid = ?')
  const register = db.prepare(
    'INSERT OR IGNORE INTO telemetry_installations (uuid, company_id, app_version, platform, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)'
  )
  const lock = db.prepare(
    'UPDATE telemetry_installations SET last_seen_at = ?, app_version = ? WHERE id = ?'
  )
  const inserts = new Map<number, any>()
  const rollup = db.prepare(
    'INSERT INTO telemetry_installation_days (installation_id, day, app_version, company_id, platform, events, logs, errors) VALUES (?, ?, ?, ?, ?, ?, 0, 0) ON CONFLICT (installation_id, day, app_version) DO UPDATE SET events = events + excluded.events'
  )
  const count = db.prepare(
    'UPDATE telemetry_installations SET events_received = events_received + ? WHERE id = ?'
  )
  const run = db.transaction((companyId: number, batch: Batch, at: number) => {
    let id = installations.get(batch.installationId)
    if (!id) {
      register.run(batch.installationId, companyId, batch.appVersion, batch.platform, at, at)
      id = Number(find.get(batch.installationId).id)
      installations.set(batch.installationId, id)
    }
    lock.run(at, batch.appVersion, id)
    const ids = batch.events.map((e) => e.id)
    const stored = new Set(
      db
        .prepare(
          `SELECT event_id FROM telemetry_events WHERE event_id IN (${ids.map(() => '?').join(',')})`
        )
        .pluck()
        .all(...ids)
    )
    const fresh = { ...batch, events: batch.events.filter((e) => !stored.has(e.id)) }
    if (!fresh.events.length) return 0
    const n = fresh.events.length
    if (!inserts.has(n))
      inserts.set(
        n,
        db.prepare(
          `INSERT INTO telemetry_events (${COLUMNS}) VALUES ${Array.from({ length: n }, () => `(${'?,'.repeat(WIDTH - 1)}?)`).join(',')}`
        )
      )
    inserts.get(n).run(...rows(companyId, id, fresh, at))
    rollup.run(
      id,
      new Date(at).toISOString().slice(0, 10),
      batch.appVersion,
      companyId,
      batch.platform,
      n
    )
    count.run(n, id)
    return n
  })
  return {
    token: async (id) => token.get(id, 'api_token'),
    touch: async (id, at) => void touch.run(at, id),
    ingest: async (...args) => run.immediate(...args),
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
  /*
  | The events in one COPY, in the text format Tandem writes (app/helpers/pg_statements.ts,
  | ADR 0013): PostgreSQL's cheapest way in, for Tandem and the baseline alike.
  */
  const copyEvents = `COPY telemetry_events (${COLUMNS}) FROM STDIN`
  return {
    async token(id) {
      const { rows: found } = await pool.query(
        'SELECT * FROM auth_access_tokens WHERE id = $1 AND type = $2 LIMIT 1',
        [id, 'api_token']
      )
      return found[0]
    },
    async touch(id, at) {
      await pool.query('UPDATE auth_access_tokens SET last_used_at = $1 WHERE id = $2', [
        new Date(at),
        id,
      ])
    },
    async ingest(companyId, batch, at) {
      let id = installations.get(batch.installationId)
      if (!id) {
        await pool.query(
          'INSERT INTO telemetry_installations (uuid, company_id, app_version, platform, first_seen_at, last_seen_at) VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (uuid) DO NOTHING',
          [batch.installationId, companyId, batch.appVersion, batch.platform, at]
        )
        const { rows: found } = await pool.query(
          'SELECT id FROM telemetry_installations WHERE uuid = $1',
          [batch.installationId]
        )
        id = Number(found[0].id)
        installations.set(batch.installationId, id)
      }
      const client = await pool.connect()
      try {
        await client.query('BEGIN')
        await client.query(
          'UPDATE telemetry_installations SET last_seen_at = $1, app_version = $2 WHERE id = $3',
          [at, batch.appVersion, id]
        )
        const { rows: stored } = await client.query(
          'SELECT event_id FROM telemetry_events WHERE event_id = ANY($1)',
          [batch.events.map((e) => e.id)]
        )
        const seen = new Set(stored.map((r: Row) => r.event_id))
        const fresh = { ...batch, events: batch.events.filter((e) => !seen.has(e.id)) }
        const n = fresh.events.length
        if (n) {
          await copyInto(
            client,
            copyEvents,
            Buffer.from(copyText(rows(companyId, id, fresh, at), WIDTH))
          )
          await client.query(
            'INSERT INTO telemetry_installation_days (installation_id, day, app_version, company_id, platform, events, logs, errors) VALUES ($1, $2, $3, $4, $5, $6, 0, 0) ON CONFLICT (installation_id, day, app_version) DO UPDATE SET events = telemetry_installation_days.events + excluded.events',
            [
              id,
              new Date(at).toISOString().slice(0, 10),
              batch.appVersion,
              companyId,
              batch.platform,
              n,
            ]
          )
          await client.query(
            'UPDATE telemetry_installations SET events_received = events_received + $1 WHERE id = $2',
            [n, id]
          )
        }
        await client.query('COMMIT')
        return n
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {})
        throw error
      } finally {
        client.release()
      }
    },
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

async function ingest(request: IncomingMessage, response: ServerResponse) {
  const bearer = parseBearer(request.headers.authorization)
  if (!bearer) return error(response, 401, 'E_UNAUTHORIZED_ACCESS')
  const token = await store.token(bearer.id)
  if (!token || !secretMatches(token.hash, bearer.plain))
    return error(response, 401, 'E_UNAUTHORIZED_ACCESS')
  const now = Date.now()
  await store.touch(bearer.id, now)
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  const batch = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Batch
  if (!UUID.test(batch.installationId ?? '') || !Array.isArray(batch.events))
    return error(response, 422, 'E_VALIDATION_ERROR')
  const valid = batch.events.filter((e) => {
    e.at = typeof e.timestamp === 'number' ? e.timestamp : Date.parse(e.timestamp)
    return (
      UUID.test(e.id) &&
      ['event', 'log', 'error'].includes(e.type) &&
      typeof e.name === 'string' &&
      Number.isFinite(e.at)
    )
  })
  const unique = [...new Map(valid.map((e) => [e.id, e])).values()]
  const accepted = await store.ingest(Number(token.company_id), { ...batch, events: unique }, now)
  send(response, 202, { accepted, duplicates: batch.events.length - accepted, rejected: [] })
}

const server = createServer((request, response) => {
  if (request.method === 'POST' && request.url === '/api/v1/telemetry/batch') {
    ingest(request, response).catch((problem) => {
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
