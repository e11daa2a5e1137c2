import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import Company from '#accounts/models/company'
import { dbIdOr404 } from '#app/helpers/ids'
import { CreditsService } from '#credits/services/credits_service'
import { presentBalance } from '#credits/services/credits_notifier'
import { activeHolds, listEntries, openGrants } from '#credits/services/ledger_queries'
import { adminListValidator, listTransactionsValidator } from '#credits/validators/credit'

/* /admin/credits: every company's balance; /admin/companies/:id/credits: one ledger. */
@inject()
export default class AdminCreditsController {
  constructor(private credits: CreditsService) {}

  async index({ inertia, request }: HttpContext) {
    const { q, page } = await request.validateUsing(adminListValidator, { data: request.qs() })
    const query = Company.query().orderBy('id', 'desc')
    if (q) query.whereRaw('lower(name) like ?', [`%${q.toLowerCase()}%`])
    const result = await query.paginate(page ?? 1, 50)
    const ids = result.all().map((company) => company.id)
    const accounts = ids.length
      ? await db
          .from('credit_accounts')
          .whereIn('company_id', ids)
          .select('company_id', 'balance', 'held')
      : []
    const byCompany = new Map(accounts.map((row: any) => [Number(row.company_id), row]))
    return inertia.render('credits/admin/index', {
      q: q ?? '',
      companies: result.all().map((company) => {
        const row = byCompany.get(company.id)
        const balance = Number(row?.balance ?? 0)
        const held = Number(row?.held ?? 0)
        return {
          id: company.id,
          name: company.name,
          slug: company.slug,
          balance,
          held,
          available: balance - held,
        }
      }),
      meta: result.getMeta(),
    })
  }

  async show({ inertia, params, request }: HttpContext) {
    const company = await Company.findOrFail(dbIdOr404(params.id))
    const filters = await request.validateUsing(listTransactionsValidator, { data: request.qs() })
    const now = this.credits.now()
    return inertia.render('credits/admin/show', {
      company: { id: company.id, name: company.name },
      balance: presentBalance(await this.credits.balance(company.id)),
      grants: await openGrants(company.id, now),
      holds: await activeHolds(company.id, now),
      entries: await listEntries(company.id, {
        type: filters.type,
        limit: filters.limit ?? 50,
        cursor: filters.cursor,
      }),
      filters: { type: filters.type ?? '', cursor: filters.cursor ?? '' },
    })
  }
}
