/*
| The baseline for `npm run bench`: GET /api/v1/me written with bare node:http and better-sqlite3,
| on the same database file as Tandem, doing the same work per request:
|
|   1. read the bearer token (`tdm_` + base64url(id) + '.' + base64url(secret)), decoded like
|      @adonisjs/auth's AccessToken.decode;
|   2. token row by id + type, then UPDATE its last_used_at (DbAccessTokensProvider.verify);
|   3. sha256(secret) compared with the stored hash (safeEqual), expiry checked;
|   4. user by id (User.find), refused when disabled (auth middleware);
|   5. membership by (company, user), then its company (apiTenant middleware's preload);
|   6. the same JSON body as MeController.
|
| Same five SQL statements, same SQLite pragmas (config/database.ts), one process. Nothing else:
| no middleware, no session, no cookies, no security headers. That gap is what the ratio shows.
|
| Env: PORT (0 = any free port), SQLITE_PATH, BENCH_GRANTS (JSON `{ permission: roles[] }`: what
| enabled modules grant at boot, e.g. tasks' `tasks:manage`; run.ts reads it from Tandem's answer).
| Prints `listening <port>` once ready.
*/
import { createHash, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { createRequire } from 'node:module'
import { grant, permissionsOf, type Role } from '#accounts/services/roles'

type Row = Record<string, any>
type Statement = { get(...params: unknown[]): Row | undefined; run(...params: unknown[]): unknown }
type SqliteDatabase = {
  pragma(source: string): unknown
  prepare(source: string): Statement
  close(): void
}

/* better-sqlite3 ships no types; the four methods used here are enough. */
const Database = createRequire(import.meta.url)('better-sqlite3') as new (
  file: string
) => SqliteDatabase

const PREFIX = 'tdm_'
const TOKEN_TYPE = 'api_token'

const file = process.env.SQLITE_PATH
if (!file) throw new Error('SQLITE_PATH is required')

/* Boot-time grants of the modules (Tandem makes them in module providers). */
for (const [permission, roles] of Object.entries(JSON.parse(process.env.BENCH_GRANTS || '{}')))
  grant(permission, roles as Role[])

const db = new Database(file)
db.pragma('journal_mode = WAL')
db.pragma('foreign_keys = ON')
db.pragma('busy_timeout = 5000')
db.pragma(`synchronous = ${process.env.SQLITE_SYNCHRONOUS === 'full' ? 'FULL' : 'NORMAL'}`)

const sql = {
  token: db.prepare('SELECT * FROM auth_access_tokens WHERE id = ? AND type = ? LIMIT 1'),
  touchToken: db.prepare(
    'UPDATE auth_access_tokens SET last_used_at = ? WHERE id = ? AND type = ?'
  ),
  user: db.prepare('SELECT * FROM users WHERE id = ? LIMIT 1'),
  membership: db.prepare('SELECT * FROM memberships WHERE company_id = ? AND user_id = ? LIMIT 1'),
  company: db.prepare('SELECT * FROM companies WHERE id IN (?)'),
}

/* @poppinss/utils base64.urlDecode: null unless the value re-encodes to itself. */
function urlDecode(encoded: string) {
  const decoded = Buffer.from(encoded, 'base64').toString('utf-8')
  return Buffer.from(decoded, 'utf-8').toString('base64url') === encoded ? decoded : null
}

/* AccessToken.decode */
function decodeToken(value: string) {
  if (!value.startsWith(PREFIX)) return null
  const token = value.slice(PREFIX.length)
  if (!token) return null
  const [identifier, ...secret] = token.split('.')
  if (!identifier || secret.length === 0) return null
  const id = urlDecode(identifier)
  const plain = urlDecode(secret.join('.'))
  return id && plain ? { id, secret: plain } : null
}

/* @poppinss/utils safeEqual, for two strings. */
function safeEqual(trusted: string, input: string) {
  const length = Buffer.byteLength(trusted)
  const expected = Buffer.alloc(length, 0, 'utf-8')
  expected.write(trusted)
  const actual = Buffer.alloc(length, 0, 'utf-8')
  actual.write(input)
  return timingSafeEqual(expected, actual) && length === Buffer.byteLength(input)
}

/* Knex stores JS dates as epoch milliseconds in SQLite; Lucid writes 'yyyy-MM-dd HH:mm:ss'. */
function toDate(value: unknown) {
  if (value === null || value === undefined) return null
  return typeof value === 'number'
    ? new Date(value)
    : new Date(`${String(value).replace(' ', 'T')}Z`)
}

/* Luxon's toISO() in the UTC zone (both servers run with TZ=UTC). */
function toLuxonIso(value: unknown) {
  return toDate(value)?.toISOString().replace('Z', '+00:00') ?? null
}

function send(response: ServerResponse, status: number, body: unknown) {
  const json = JSON.stringify(body)
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(json),
  })
  response.end(json)
}

const unauthorized = (response: ServerResponse, message = 'Unauthorized access') =>
  send(response, 401, { errors: [{ code: 'E_UNAUTHORIZED_ACCESS', message }] })

function me(request: IncomingMessage, response: ServerResponse) {
  /* Bearer token (AccessTokensGuard#getBearerToken) */
  const [scheme, value] = (request.headers.authorization ?? '').split(' ')
  if (!scheme || scheme.toLowerCase() !== 'bearer' || !value) return unauthorized(response)
  const decoded = decodeToken(value)
  if (!decoded) return unauthorized(response)

  /* DbAccessTokensProvider.verify */
  const token = sql.token.get(decoded.id, TOKEN_TYPE)
  if (!token) return unauthorized(response)
  const lastUsedAt = new Date()
  sql.touchToken.run(lastUsedAt.getTime(), token.id, token.type)
  const hash = createHash('sha256').update(decoded.secret).digest('hex')
  const expiresAt = toDate(token.expires_at)
  if (!safeEqual(token.hash, hash) || (expiresAt && expiresAt < new Date()))
    return unauthorized(response)

  /* AccessTokensUserProvider.findById, then the auth middleware's disabled check */
  const user = sql.user.get(token.tokenable_id)
  if (!user) return unauthorized(response)
  if (user.disabled_at !== null)
    return send(response, 403, {
      errors: [{ code: 'E_ACCOUNT_DISABLED', message: 'This account is disabled' }],
    })

  /* ApiTenantMiddleware: membership for (token company, user), with its company */
  const membership = sql.membership.get(token.company_id, user.id)
  const company = membership ? sql.company.get(membership.company_id) : undefined
  if (!membership || !company)
    return unauthorized(response, 'This token no longer has access to its company')

  /* MeController.show */
  send(response, 200, {
    user: {
      id: user.id,
      email: user.email,
      fullName: user.full_name,
      emailVerified: user.email_verified_at !== null,
      isAdmin: Boolean(user.is_admin),
      createdAt: toLuxonIso(user.created_at),
    },
    company: {
      id: company.id,
      name: company.name,
      personal: Boolean(company.personal),
      createdAt: toLuxonIso(company.created_at),
      role: membership.role,
    },
    abilities: JSON.parse(token.abilities),
    permissions: permissionsOf(membership.role as Role),
    token: {
      id: Number(token.id),
      name: token.name,
      expiresAt: expiresAt?.toISOString() ?? null,
      lastUsedAt: lastUsedAt.toISOString(),
    },
  })
}

const server = createServer((request, response) => {
  try {
    if (request.method === 'GET' && request.url === '/api/v1/me') return me(request, response)
    send(response, 404, { errors: [{ code: 'E_ROUTE_NOT_FOUND', message: 'Not found' }] })
  } catch (error) {
    console.error(error)
    if (!response.headersSent) send(response, 500, { errors: [{ message: 'Server error' }] })
  }
})

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address()
  console.log(`listening ${typeof address === 'object' && address ? address.port : ''}`)
})

function stop() {
  server.close(() => {
    db.close()
    process.exit(0)
  })
  server.closeAllConnections()
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
