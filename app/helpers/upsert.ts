import type { QueryClientContract } from '@adonisjs/lucid/types/database'

/*
| "Insert this row, or add these counters to the row already there", in one statement on all
| three databases: ON CONFLICT … DO UPDATE on PostgreSQL and SQLite, ON DUPLICATE KEY UPDATE on
| MySQL/MariaDB. Counters are added; `replace` columns take the new value.
*/
export type UpsertSpec = {
  table: string
  keys: string[]
  row: Record<string, unknown>
  add?: string[]
  replace?: string[]
}

export async function upsertAdding(client: QueryClientContract, spec: UpsertSpec) {
  const { row, ...rest } = spec
  await upsertAddingMany(client, { ...rest, rows: [row] })
}

/*
| The same for several rows in one statement. No two rows may share the keys (PostgreSQL refuses
| to update one row twice in a statement): add them up first.
*/
export async function upsertAddingMany(
  client: QueryClientContract,
  spec: Omit<UpsertSpec, 'row'> & { rows: Array<Record<string, unknown>> }
) {
  if (!spec.rows.length) return
  const columns = Object.keys(spec.rows[0])
  const values = spec.rows.flatMap((row) => columns.map((column) => row[column]))
  const tuple = `(${columns.map(() => '?').join(', ')})`
  const tuples = spec.rows.map(() => tuple).join(', ')
  const quoted = columns.map((column) => quote(client, column)).join(', ')
  const insert = `INSERT INTO ${quote(client, spec.table)} (${quoted}) VALUES ${tuples}`
  const mysql = client.dialect.name === 'mysql'
  const incoming = (column: string) =>
    mysql ? `VALUES(${quote(client, column)})` : `excluded.${quote(client, column)}`
  const current = (column: string) =>
    mysql ? quote(client, column) : `${quote(client, spec.table)}.${quote(client, column)}`
  const sets = [
    ...(spec.add ?? []).map(
      (column) => `${quote(client, column)} = ${current(column)} + ${incoming(column)}`
    ),
    ...(spec.replace ?? []).map((column) => `${quote(client, column)} = ${incoming(column)}`),
  ].join(', ')
  const conflict = mysql
    ? `ON DUPLICATE KEY UPDATE ${sets}`
    : `ON CONFLICT (${spec.keys.map((key) => quote(client, key)).join(', ')}) DO UPDATE SET ${sets}`
  await client.rawQuery(`${insert} ${conflict}`, values as any[])
}

function quote(client: QueryClientContract, name: string) {
  return client.dialect.name === 'mysql' ? `\`${name}\`` : `"${name}"`
}
