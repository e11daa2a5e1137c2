import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import {
  createCompanyValidator,
  deleteCompanyValidator,
  updateCompanyValidator,
} from '#accounts/validators/company'
import { CompaniesService } from '#accounts/services/companies_service'
import { ApiError } from '#app/exceptions/api_error'

@inject()
export default class CompaniesController {
  constructor(private companies: CompaniesService) {}

  async create({ inertia }: HttpContext) {
    return inertia.render('accounts/companies/create', {})
  }

  async store({ request, response, auth, session }: HttpContext) {
    const { name } = await request.validateUsing(createCompanyValidator)
    const company = await this.companies.create(auth.getUserOrFail(), name)
    session.flash('success', `${company.name} is ready. Invite your team.`)
    return response.redirect().toRoute('accounts.members.index', { companyId: company.id })
  }

  /* Company settings: the name, and the danger zone. */
  async edit({ inertia, tenant }: HttpContext) {
    return inertia.render('accounts/companies/edit', {
      company: tenant.company.serializeForApi(),
      canUpdate: tenant.can('company:update'),
      canDelete: tenant.can('company:delete'),
    })
  }

  async update({ request, response, tenant, session }: HttpContext) {
    tenant.authorize('company:update')
    const { name } = await request.validateUsing(updateCompanyValidator)
    await this.companies.rename(tenant.company, name)
    session.flash('success', 'Company renamed.')
    return response.redirect().toRoute('accounts.companies.edit', { companyId: tenant.companyId })
  }

  async destroy({ request, response, tenant, session }: HttpContext) {
    tenant.authorize('company:delete')
    const { confirmation } = await request.validateUsing(deleteCompanyValidator)
    if (confirmation !== tenant.company.name) {
      throw ApiError.invalid(
        'E_CONFIRMATION_MISMATCH',
        'Type the company name exactly to delete it',
        'confirmation'
      )
    }
    await this.companies.delete(tenant.company)
    session.flash('success', `${tenant.company.name} was deleted.`)
    return response.redirect().toRoute('accounts.dashboard.show')
  }
}
