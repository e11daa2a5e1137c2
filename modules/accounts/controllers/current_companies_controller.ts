import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { switchCompanyValidator } from '#accounts/validators/company'
import { CompaniesService } from '#accounts/services/companies_service'

/* Switching the company the UI works in. */
@inject()
export default class CurrentCompaniesController {
  constructor(private companies: CompaniesService) {}

  async update({ request, response, auth }: HttpContext) {
    const { companyId } = await request.validateUsing(switchCompanyValidator)
    await this.companies.switchTo(auth.getUserOrFail(), companyId)
    return response.redirect().toRoute('accounts.dashboard.show')
  }
}
