import { ApiError } from '#app/exceptions/api_error'
import { isDbId } from '#app/helpers/ids'

/*
| Cursor pagination for API lists, ordered by id: stable under inserts and deletes, unlike
| page numbers. Oldest first by default; `newestFirst` for logs people read from the top (a
| ledger). `column` names the id in a join (`e.id`). The cursor is opaque to clients (base64url of the last id).
*/
export async function paginateByCursor<T extends { id: number | string }>(
  query: { where: Function; orderBy: Function; limit: Function } & PromiseLike<T[]>,
  options: { limit: number; cursor?: string; newestFirst?: boolean; column?: string }
) {
  const column = options.column ?? 'id'
  if (options.cursor) {
    const last = Number(Buffer.from(options.cursor, 'base64url').toString())
    if (!isDbId(last))
      throw ApiError.invalid('E_INVALID_CURSOR', 'The cursor is not valid', 'cursor')
    query.where(column, options.newestFirst ? '<' : '>', last)
  }
  query.orderBy(column, options.newestFirst ? 'desc' : 'asc').limit(options.limit + 1)
  const rows = await query
  const hasMore = rows.length > options.limit
  const page = hasMore ? rows.slice(0, options.limit) : rows
  const last = page.at(-1)
  return {
    rows: page,
    nextCursor: hasMore && last ? Buffer.from(String(last.id)).toString('base64url') : null,
  }
}
