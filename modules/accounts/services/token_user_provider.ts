import { HttpContext } from '@adonisjs/core/http'
import type { Secret } from '@adonisjs/core/helpers'
import { AccessToken, AccessTokensLucidUserProvider } from '@adonisjs/auth/access_tokens'
import type { LucidModel, LucidRow } from '@adonisjs/lucid/types/model'
import type { LucidTokenable } from '@adonisjs/auth/types/access_tokens'
import db from '@adonisjs/lucid/services/db'
import { isDbId } from '#app/helpers/ids'
import { rawRows } from '#app/helpers/query_results'
import { prepared } from '#app/helpers/pg_statements'
import { paddedIn } from '#app/helpers/sql_shapes'
import { onNextTurn } from '#app/helpers/next_turn'
import type {
  CompanyAccessToken,
  CompanyAccessTokensProvider,
} from '#accounts/services/company_access_tokens'
import type Membership from '#accounts/models/membership'
import type { TenantRows } from '#accounts/services/tenant'

/*
| The API guard's user provider. A bearer request used to cost five statements and a write:
| the token, its `last_used_at`, the user, the membership and the company. Here one indexed
| join reads the token with its user, membership and company; the secret is checked before
| anything is written; `last_used_at` is written at most once a minute per token (the answer
| still says "now"). The user read is handed to the guard's `findById` through the request's
| context, and the membership to `apiTenant` on the token, so neither queries again (its models
| are made only when a controller asks for them). The join's
| SQL (forty aliased columns) is built by the query builder once and then run as raw SQL: quoting
| the columns again for every request was the largest knex cost of an authenticated request. On
| PostgreSQL it runs as a named statement, parsed and planned once per connection (ADR 0013); on
| PostgreSQL and MySQL the requests that reach it on one turn of the event loop share one
| statement (TokenRows below).
| Nothing is kept between requests: a revoked token, a disabled user or a removed member is
| refused on the very next request, as before.
*/
export const LAST_USED_PRECISION_MS = 60_000

/* `tenant`: the token's membership in its company (null when it has none), read with the token. */
export type VerifiedToken = CompanyAccessToken & { tenant?: TenantRows | null }

/*
| The token columns dbRowToAccessToken reads, named rather than `t.*`: on PostgreSQL the join is a
| prepared statement, whose answer must keep its shape when a migration adds a column.
*/
const TOKEN_COLUMNS = [
  'id',
  'tokenable_id',
  'company_id',
  'type',
  'name',
  'hash',
  'abilities',
  'created_at',
  'updated_at',
  'last_used_at',
  'expires_at',
]

const PRELOADED = Symbol('tandem.preloadedUser')
type WithPreloaded = HttpContext & { [PRELOADED]?: LucidRow }

type Shape = { model: LucidModel; alias: string; prefix: string; select: string[] }

function shape(model: LucidModel, alias: string): Shape {
  const prefix = `${alias}__`
  const select = [...model.$columnsDefinitions.values()].map(
    ({ columnName }) => `${alias}.${columnName} as ${prefix}${columnName}`
  )
  return { model, alias, prefix, select }
}

function pick(row: Record<string, unknown>, prefix: string) {
  const picked: Record<string, unknown> = {}
  for (const key in row) if (key.startsWith(prefix)) picked[key.slice(prefix.length)] = row[key]
  return picked
}

export class CompanyTokensUserProvider<
  Model extends LucidTokenable<'accessTokens'>,
> extends AccessTokensLucidUserProvider<'accessTokens', Model> {
  #joined?: {
    user: Shape
    membership: Shape
    company: Shape
    sql: string
    rows: TokenRows | null
  }

  /* The shapes of the three models and the join's SQL, made on first use (the models load late). */
  async #join(tokens: CompanyAccessTokensProvider<LucidModel>) {
    if (this.#joined) return this.#joined
    const [{ default: Membership }, { default: Company }] = await Promise.all([
      import('#accounts/models/membership'),
      import('#accounts/models/company'),
    ])
    const user = shape(await this.getModel(), 'u')
    const membership = shape(Membership, 'm')
    const company = shape(Company, 'c')
    const { sql, bindings } = db
      .from(`${tokens.tableName} as t`)
      .select(
        ...TOKEN_COLUMNS.map((column) => `t.${column}`),
        ...user.select,
        ...membership.select,
        ...company.select
      )
      .innerJoin('users as u', 'u.id', 't.tokenable_id')
      .leftJoin('memberships as m', (join) =>
        join.on('m.company_id', 't.company_id').andOn('m.user_id', 't.tokenable_id')
      )
      .leftJoin('companies as c', 'c.id', 'm.company_id')
      .where('t.id', 0)
      .where('t.type', tokens.tokenType)
      .toSQL()
    /* verifyToken binds (id, type) in that order. */
    if (bindings.length !== 2 || bindings[0] !== 0 || bindings[1] !== tokens.tokenType) {
      throw new Error(`Unexpected bindings in the token join: ${JSON.stringify(bindings)}`)
    }
    /*
    | PostgreSQL and MySQL: the same join for many ids at once (`= ANY(?)`, one text for any
    | number; MySQL an IN list padded to a few shapes).
    */
    let rows: TokenRows | null = null
    const dialect = db.connection().dialect.name
    if (dialect === 'postgres' || dialect === 'mysql') {
      const one = dialect === 'postgres' ? '"t"."id" = ?' : '`t`.`id` = ?'
      if (!sql.includes(one)) throw new Error(`Unexpected token join: ${sql}`)
      rows = new TokenRows((ids) => {
        if (dialect === 'postgres') {
          return {
            sql: sql.replace(one, '"t"."id" = ANY(?)'),
            bindings: [ids, tokens.tokenType],
          }
        }
        const list = paddedIn(ids)
        return {
          sql: sql.replace(one, `\`t\`.\`id\` IN ${list.sql}`),
          bindings: [...list.values, tokens.tokenType],
        }
      })
    }
    this.#joined = { user, membership, company, sql: `${sql} limit 1`, rows }
    return this.#joined
  }

  async verifyToken(value: Secret<string>): Promise<VerifiedToken | null> {
    const tokens =
      (await this.getTokensProvider()) as unknown as CompanyAccessTokensProvider<LucidModel>
    const decoded = AccessToken.decode(tokens.tokenPrefix, value.release())
    if (!decoded || !isDbId(String(decoded.identifier))) return null

    const { user, membership, company, sql, rows } = await this.#join(tokens)
    const id = Number(decoded.identifier)
    const row = rows
      ? await rows.read(id)
      : rawRows(await prepared(db.rawQuery(sql, [id, tokens.tokenType])))[0]
    if (!row) return null

    const token = tokens.dbRowToAccessToken(row) as VerifiedToken
    if (!token.verify(decoded.secret) || token.isExpired()) return null

    const now = new Date()
    if (now.getTime() - (token.lastUsedAt?.getTime() ?? 0) >= LAST_USED_PRECISION_MS) {
      await prepared(db.from(tokens.tableName).where('id', row.id).update({ last_used_at: now }))
    }
    token.lastUsedAt = now

    const ctx = HttpContext.get() as WithPreloaded | null
    if (ctx) ctx[PRELOADED] = user.model.$createFromAdapterResult(pick(row, user.prefix))!
    token.tenant = null
    if (row[`${membership.prefix}id`] !== null && row[`${company.prefix}id`] !== null) {
      /* The models are made only if the request asks for them (services/tenant.ts). */
      let made: Membership | undefined
      const makeMembership = () => {
        if (made) return made
        made = membership.model.$createFromAdapterResult(
          pick(row, membership.prefix)
        )! as Membership
        made.$setRelated(
          'company' as any,
          company.model.$createFromAdapterResult(pick(row, company.prefix))!
        )
        return made
      }
      token.tenant = {
        companyId: Number(row[`${company.prefix}id`]),
        role: row[`${membership.prefix}role`],
        membership: makeMembership,
        company: () => makeMembership().company,
      }
    }
    return token
  }

  /* The guard asks for the token's user right after verifyToken: the one read with it. */
  async findById(identifier: string | number | BigInt) {
    const ctx = HttpContext.get() as WithPreloaded | null
    const preloaded = ctx?.[PRELOADED]
    if (ctx && preloaded && String(preloaded.$primaryKeyValue) === String(identifier)) {
      ctx[PRELOADED] = undefined
      return this.createUserForGuard(preloaded as InstanceType<Model>)
    }
    return super.findById(identifier)
  }
}

/*
| PostgreSQL and MySQL, where every statement is a round trip (~100 µs of Node's CPU here, ADR
| 0013): the token rows asked for during one turn of the event loop are read by one statement on
| the next turn (as the ledger groups its writes, app/helpers/next_turn.ts), at most MAX_IDS at a
| time. Each request still reads the database after it arrived; only the statement is shared. A
| failed statement fails the requests that shared it, as their own statement would have.
*/
type Waiter = {
  resolve: (row: Record<string, any> | undefined) => void
  reject: (e: unknown) => void
}

const MAX_IDS = 100

export class TokenRows {
  #waiting = new Map<number, Waiter[]>()
  #schedule = onNextTurn(() => this.#run())

  constructor(private statement: (ids: number[]) => { sql: string; bindings: unknown[] }) {}

  read(id: number): Promise<Record<string, any> | undefined> {
    return new Promise((resolve, reject) => {
      const waiters = this.#waiting.get(id)
      if (waiters) waiters.push({ resolve, reject })
      else this.#waiting.set(id, [{ resolve, reject }])
      this.#schedule()
    })
  }

  #run() {
    const waiting = this.#waiting
    this.#waiting = new Map()
    const ids = [...waiting.keys()]
    for (let start = 0; start < ids.length; start += MAX_IDS) {
      void this.#read(ids.slice(start, start + MAX_IDS), waiting)
    }
  }

  async #read(ids: number[], waiting: Map<number, Waiter[]>) {
    let found: Map<number, Record<string, any>>
    try {
      const { sql, bindings } = this.statement(ids)
      const result = await prepared(db.rawQuery(sql, bindings as any[]))
      found = new Map(rawRows(result).map((row: any) => [Number(row.id), row]))
    } catch (error) {
      for (const id of ids) for (const waiter of waiting.get(id)!) waiter.reject(error)
      return
    }
    for (const id of ids) for (const waiter of waiting.get(id)!) waiter.resolve(found.get(id))
  }
}
