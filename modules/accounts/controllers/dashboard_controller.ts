import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { CompaniesService } from '#accounts/services/companies_service'
import { MembershipsService } from '#accounts/services/memberships_service'

@inject()
export default class DashboardController {
  constructor(
    private companies: CompaniesService,
    private memberships: MembershipsService
  ) {}

  async show({ inertia, auth }: HttpContext) {
    const user = auth.getUserOrFail()
    const { current } = await this.companies.current(user)
    const members = current ? await this.memberships.list(current.companyId) : []
    return inertia.render('accounts/dashboard/show', {
      emailVerified: user.emailVerifiedAt !== null,
      memberCount: members.length,
      role: current?.role ?? null,
    })
  }
}
