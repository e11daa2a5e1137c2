import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { searchValidator } from '#admin/validators/search'
import User from '#accounts/models/user'
import { UsersService } from '#accounts/services/users_service'
import { CompaniesService } from '#accounts/services/companies_service'
import { AuditLogService } from '#admin/services/audit_log_service'
import { snapshotUser } from '#admin/services/snapshots'
import { dbIdOr404 } from '#app/helpers/ids'
import { ApiError } from '#app/exceptions/api_error'

@inject()
export default class UsersController {
  constructor(
    private users: UsersService,
    private companies: CompaniesService,
    private audit: AuditLogService
  ) {}

  async index({ inertia, request }: HttpContext) {
    const { q, page } = await request.validateUsing(searchValidator, { data: request.qs() })
    const result = await this.users.search(q, page ?? 1)
    return inertia.render('admin/users/index', {
      q: q ?? '',
      users: result.all().map(snapshotUser),
      meta: result.getMeta(),
    })
  }

  async show({ inertia, params }: HttpContext) {
    const user = await User.findOrFail(dbIdOr404(params.id))
    const memberships = await this.companies.membershipsOf(user)
    const history = await this.audit.list(
      { subjectType: 'user', subjectId: String(user.id) },
      1,
      20
    )
    return inertia.render('admin/users/show', {
      user: snapshotUser(user),
      memberships: memberships.map((m) => ({
        companyId: m.companyId,
        companyName: m.company.name,
        role: m.role,
      })),
      history: history.all().map((entry) => ({
        id: entry.id,
        action: entry.action,
        actor: entry.actorEmail,
        createdAt: entry.createdAt.toISO(),
      })),
    })
  }

  async destroy({ params, auth, request, response, session }: HttpContext) {
    const user = await User.findOrFail(dbIdOr404(params.id))
    if (user.id === auth.user!.id)
      throw ApiError.invalid(
        'E_CANNOT_DELETE_SELF',
        'Delete your own account from your profile',
        'user'
      )
    const before = snapshotUser(user)
    await this.users.delete(user)
    await this.audit.record({
      actor: auth.user!,
      action: 'user.deleted',
      subject: { type: 'user', id: before.id, label: before.email },
      before,
      ip: request.ip(),
      requestId: request.id(),
    })
    session.flash('success', `${before.email} was deleted.`)
    return response.redirect().toRoute('admin.users.index')
  }
}
