import { Readable } from 'node:stream'
import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import { presentEntry } from '#credits/services/ledger_queries'
import { csvLine } from '#app/helpers/csv'
import { listTransactionsValidator } from '#credits/validators/credit'

/*
| GET /companies/:companyId/credits/transactions.csv — the whole ledger (or one type), newest
| first, streamed in pages so a long history never sits in memory.
*/
const COLUMNS = [
  'id',
  'created_at',
  'type',
  'amount',
  'held_change',
  'balance_after',
  'held_after',
  'reason',
  'actor_type',
  'actor_id',
  'grant_id',
  'hold_id',
  'metadata',
]

export default class ExportsController {
  async show({ request, response, tenant }: HttpContext) {
    const { type } = await request.validateUsing(listTransactionsValidator, { data: request.qs() })
    const companyId = tenant.companyId
    async function* lines() {
      yield csvLine(COLUMNS)
      let before = Number.MAX_SAFE_INTEGER
      for (;;) {
        const query = db
          .from('credit_entries')
          .where('company_id', companyId)
          .where('id', '<', before)
          .orderBy('id', 'desc')
          .limit(1000)
        if (type) query.where('type', type)
        const rows = await query
        for (const row of rows) {
          const e = presentEntry(row)
          yield csvLine([
            e.id,
            e.createdAt,
            e.type,
            e.amount,
            e.heldChange,
            e.balanceAfter,
            e.heldAfter,
            e.reason,
            e.actor.type,
            e.actor.id,
            e.grantId,
            e.holdId,
            e.metadata,
          ])
        }
        if (rows.length < 1000) return
        before = Number(rows.at(-1).id)
      }
    }
    const day = new Date().toISOString().slice(0, 10)
    response.header('content-type', 'text/csv; charset=utf-8')
    response.attachment(`credits-${companyId}-${type ?? 'all'}-${day}.csv`)
    response.stream(Readable.from(lines()))
  }
}
