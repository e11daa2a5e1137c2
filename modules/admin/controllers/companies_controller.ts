import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { searchValidator } from '#admin/validators/search'
import Company from '#accounts/models/company'
import { MembershipsService } from '#accounts/services/memberships_service'
import { dbIdOr404 } from '#app/helpers/ids'

@inject()
export default class CompaniesController {
  constructor(private memberships: MembershipsService) {}

  async index({ inertia, request }: HttpContext) {
    const { q, page } = await request.validateUsing(searchValidator, { data: request.qs() })
    const query = Company.query().withCount('memberships').orderBy('id', 'desc')
    if (q) query.whereRaw('lower(name) like ?', [`%${q.toLowerCase()}%`])
    const result = await query.paginate(page ?? 1, 25)
    return inertia.render('admin/companies/index', {
      q: q ?? '',
      companies: result.all().map((company) => ({
        ...company.serializeForApi(),
        members: Number(company.$extras.memberships_count),
      })),
      meta: result.getMeta(),
    })
  }

  async show({ inertia, params }: HttpContext) {
    const company = await Company.findOrFail(dbIdOr404(params.id))
    const members = await this.memberships.list(company.id)
    return inertia.render('admin/companies/show', {
      company: company.serializeForApi(),
      members: members.map((m) => ({
        userId: m.userId,
        email: m.user.email,
        name: m.user.displayName,
        role: m.role,
        joinedAt: m.createdAt.toISO(),
      })),
    })
  }
}
