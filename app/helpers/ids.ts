import { ApiError } from '#app/exceptions/api_error'

/*
| Database ids in URLs and payloads. Anything that is not a positive 32-bit integer cannot name a
| row, so it is a 404 before any query: PostgreSQL would otherwise answer "invalid input syntax"
| or "out of range" (a 500) where SQLite quietly finds nothing.
*/
export const MAX_DB_ID = 2_147_483_647

export function isDbId(value: unknown): value is number {
  const id = typeof value === 'string' && /^\d{1,10}$/.test(value) ? Number(value) : value
  return typeof id === 'number' && Number.isInteger(id) && id > 0 && id <= MAX_DB_ID
}

/** Route matcher for `:id`-like params: digits only, cast to a number (range checked by isDbId). */
export const idMatcher = { match: /^[1-9]\d{0,9}$/, cast: (value: string) => Number(value) }

/** The id, or a 404 when it cannot name a row. */
export function dbIdOr404(value: unknown, what = 'Not found'): number {
  if (!isDbId(value)) throw ApiError.notFound(what)
  return Number(value)
}
