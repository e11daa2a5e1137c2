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
import type { QueryClientContract } from '@adonisjs/lucid/types/database'

export const MAX_PREPARED = 100

type PgQueryConfig = { text: string; values?: unknown[]; name?: string; prepare?: boolean }
type Callback = (error: (Error & { code?: string }) | null, result?: unknown) => void
type PgConnection = { query: (config: any, ...rest: any[]) => any }

/** Marks a Lucid query (select, update, insert or raw) to run as a named statement on PostgreSQL. */
export function prepared<
  T extends { client: Pick<QueryClientContract, 'dialect'>; knexQuery: { options: Function } },
>(query: T): T {
  if (query.client.dialect.name === 'postgres') query.knexQuery.options({ prepare: true })
  return query
}

/* The pool's afterCreate hook (config/database.ts): names the marked statements of a connection. */
export function namePreparedStatements(connection: PgConnection) {
  const query = connection.query.bind(connection)
  const names = new Map<string, string>()
  let created = 0
  connection.query = (config: unknown, ...rest: unknown[]) => {
    if (!isMarked(config)) return query(config, ...rest)
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
      /* The table changed under the prepared statement: prepare it anew next time. */
      if (error?.code === '0A000' && names.get(plain.text) === name) names.delete(plain.text)
      ;(callback as Callback)(error, result)
    })
  }
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
| Many rows in one statement whose text does not depend on their number: one array per column,
| `INSERT … SELECT * FROM unnest($1::type[], $2::type[], …)`. A multi-row `VALUES` list of 256
| rows of 15 columns has 3,840 parameters, and PostgreSQL parsed and planned that text on every
| run: ~15 ms of its CPU per 256 telemetry events, against ~4 ms for the same rows as arrays
| (measured on this VM, benchmarks/README.md). Being one fixed text, it is also prepared once.
*/
export function unnestInsert(table: string, columns: ReadonlyArray<readonly [string, string]>) {
  const names = columns.map(([name]) => name).join(', ')
  const arrays = columns.map(([, type]) => `?::${type}[]`).join(', ')
  return `INSERT INTO ${table} (${names}) SELECT * FROM unnest(${arrays})`
}

/** Rows given as one flat list, `width` values each, as one array per column (for unnest). */
export function columnArrays(values: unknown[], width: number): unknown[][] {
  const arrays: unknown[][] = Array.from({ length: width }, () => [])
  for (let index = 0; index < values.length; index++) arrays[index % width].push(values[index])
  return arrays
}
