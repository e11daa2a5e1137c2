import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import { chunkSizes } from '#app/helpers/sql_shapes'
import { greatestFunction } from '#app/helpers/sqlite_statements'

/*
| "Insert this row, or add these counters to the row already there", in one statement on all
| three databases: ON CONFLICT … DO UPDATE on PostgreSQL and SQLite, ON DUPLICATE KEY UPDATE on
| MySQL/MariaDB. Counters are added; `replace` columns take the new value, `keepGreatest` columns
| the larger of the two (a time that must not go back when writes commit out of order).
*/
export type UpsertSpec = {
  table: string
  keys: string[]
  row: Record<string, unknown>
  add?: string[]
  replace?: string[]
  keepGreatest?: string[]
}

/*
| The same for several rows, in statements of at most 64 rows (a few fixed sizes, see
| sql_shapes.ts). No two rows may share the keys (PostgreSQL refuses to update one row twice in
| a statement): add them up first. Rows are written in key order, so two writers upserting
| overlapping rows take their locks in the same order.
*/
export async function upsertAddingMany(
  client: QueryClientContract,
  spec: Omit<UpsertSpec, 'row'> & { rows: Array<Record<string, unknown>> }
) {
  for (const { text, values } of upsertStatements(client, spec)) {
    await client.rawQuery(text, values as any[])
  }
}

/* The statements upsertAddingMany runs, in order (`?` placeholders), for a caller sending them. */
export function upsertStatements(
  client: Pick<QueryClientContract, 'dialect'>,
  spec: Omit<UpsertSpec, 'row'> & { rows: Array<Record<string, unknown>> }
) {
  const key = (row: Record<string, unknown>) => spec.keys.map((name) => row[name])
  const rows = [...spec.rows].sort((a, b) => compareKeys(key(a), key(b)))
  const statements: Array<{ text: string; values: unknown[] }> = []
  let start = 0
  for (const size of chunkSizes(rows.length, 64)) {
    statements.push(upsertStatement(client, spec, rows.slice(start, start + size)))
    start += size
  }
  return statements
}

function compareKeys(a: unknown[], b: unknown[]) {
  for (const [index, element] of a.entries()) {
    const left = element as any
    const right = b[index] as any
    if (left < right) return -1
    if (left > right) return 1
  }
  return 0
}

function upsertStatement(
  client: Pick<QueryClientContract, 'dialect'>,
  spec: Omit<UpsertSpec, 'row'>,
  rows: Array<Record<string, unknown>>
) {
  const columns = Object.keys(rows[0])
  const values = rows.flatMap((row) => columns.map((column) => row[column]))
  const tuple = `(${columns.map(() => '?').join(', ')})`
  const tuples = rows.map(() => tuple).join(', ')
  const quoted = columns.map((column) => quote(client, column)).join(', ')
  const insert = `INSERT INTO ${quote(client, spec.table)} (${quoted}) VALUES ${tuples}`
  const mysql = client.dialect.name === 'mysql'
  const greatest = greatestFunction(client.dialect.name)
  const incoming = (column: string) =>
    mysql ? `VALUES(${quote(client, column)})` : `excluded.${quote(client, column)}`
  const current = (column: string) =>
    mysql ? quote(client, column) : `${quote(client, spec.table)}.${quote(client, column)}`
  const sets = [
    ...(spec.add ?? []).map(
      (column) => `${quote(client, column)} = ${current(column)} + ${incoming(column)}`
    ),
    ...(spec.replace ?? []).map((column) => `${quote(client, column)} = ${incoming(column)}`),
    ...(spec.keepGreatest ?? []).map(
      (column) => `${quote(client, column)} = ${greatest}(${current(column)}, ${incoming(column)})`
    ),
  ].join(', ')
  const conflict = mysql
    ? `ON DUPLICATE KEY UPDATE ${sets}`
    : `ON CONFLICT (${spec.keys.map((key) => quote(client, key)).join(', ')}) DO UPDATE SET ${sets}`
  return { text: `${insert} ${conflict}`, values }
}

function quote(client: Pick<QueryClientContract, 'dialect'>, name: string) {
  return client.dialect.name === 'mysql' ? `\`${name}\`` : `"${name}"`
}
