import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import Membership from '#accounts/models/membership'
import { Tenant } from '#accounts/services/tenant'
import { ApiError } from '#app/exceptions/api_error'
import { isDbId } from '#app/helpers/ids'

/*
| Resolves `:companyId` for company-scoped pages. A company the user does not belong to is
| answered exactly like one that does not exist: 404.
*/
export default class CompanyMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const companyId = Number(ctx.params.companyId)
    const user = ctx.auth.getUserOrFail()
    const membership = isDbId(companyId)
      ? await Membership.query().where({ companyId, userId: user.id }).preload('company').first()
      : null
    if (!membership) throw ApiError.notFound('Company not found')
    ctx.tenant = new Tenant(membership.company, membership)
    return next()
  }
}
