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
  const columns = Object.keys(spec.row)
  const values = columns.map((column) => spec.row[column])
  const placeholders = columns.map(() => '?').join(', ')
  const quoted = columns.map((column) => quote(client, column)).join(', ')
  const insert = `INSERT INTO ${quote(client, spec.table)} (${quoted}) VALUES (${placeholders})`
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
