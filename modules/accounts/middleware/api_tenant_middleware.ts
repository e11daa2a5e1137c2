import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import Membership from '#accounts/models/membership'
import { Tenant } from '#accounts/services/tenant'
import { ApiError } from '#app/exceptions/api_error'
import type { VerifiedToken } from '#accounts/services/token_user_provider'

const noAccess = () =>
  new ApiError('E_UNAUTHORIZED_ACCESS', 'This token no longer has access to its company', {
    status: 401,
  })

/*
| API requests act for the company their token was issued for. The membership is checked on
| every request, so a token stops working the moment its owner leaves the company.
*/
export default class ApiTenantMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const user = ctx.auth.getUserOrFail()
    const token = user.currentAccessToken as VerifiedToken | undefined
    /* Read with the token by the guard's provider (token_user_provider.ts), else queried here. */
    if (token?.tenant !== undefined) {
      if (!token.tenant) throw noAccess()
      ctx.tenant = new Tenant(token.tenant)
      return next()
    }
    const membership = token
      ? await Membership.query()
          .where({ companyId: token.companyId, userId: user.id })
          .preload('company')
          .first()
      : null
    if (!membership) throw noAccess()
    ctx.tenant = new Tenant(membership.company, membership)
    return next()
  }
}
