/*
| What the three database drivers answer to writes, made one shape:
| - an INSERT … RETURNING id gives rows on PostgreSQL and SQLite, the insert id on MySQL;
| - an UPDATE gives the affected row count (some drivers wrap it in an array).
| PostgreSQL returns bigint columns as strings, so ids become numbers here.
*/
export function insertedId(rows: unknown) {
  const [row] = rows as any[]
  return Number(row !== null && typeof row === 'object' ? row.id : row)
}

export function affectedRows(result: unknown) {
  return Number(Array.isArray(result) ? result[0] : result)
}

/* The rows of a raw SELECT: an array on SQLite, `{ rows }` on PostgreSQL, `[rows, fields]` on MySQL. */
export function rawRows<T = Record<string, any>>(result: unknown): T[] {
  if (Array.isArray(result)) return (Array.isArray(result[0]) ? result[0] : result) as T[]
  return ((result as { rows?: T[] }).rows ?? []) as T[]
}
