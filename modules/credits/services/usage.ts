import db from '@adonisjs/lucid/services/db'

/*
| Credits spent per UTC day (consumes and captures), oldest first, zeros included, for the
| usage chart. The day is computed in SQL with integer arithmetic that the three databases agree on.
*/
const DAY = 86_400_000
/* Inlined, not bound: PostgreSQL does not match a parameterized GROUP BY with the SELECT. */
const DAY_EXPRESSION = `(created_at - created_at % ${DAY}) / ${DAY}`

export async function usageByDay(companyId: number, now: number, days: number) {
  const today = Math.floor(now / DAY)
  const from = (today - days + 1) * DAY
  const rows = await db
    .from('credit_entries')
    .where('company_id', companyId)
    .whereIn('type', ['consume', 'capture'])
    .where('created_at', '>=', from)
    .select(db.raw(`${DAY_EXPRESSION} AS day`))
    .sum('amount as amount')
    .groupByRaw(DAY_EXPRESSION)
  const spent = new Map(rows.map((row: any) => [Number(row.day), -Number(row.amount)]))
  return Array.from({ length: days }, (_, index) => {
    const day = today - days + 1 + index
    return { date: new Date(day * DAY).toISOString().slice(0, 10), spent: spent.get(day) ?? 0 }
  })
}
