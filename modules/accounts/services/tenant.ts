import type Company from '#accounts/models/company'
import type Membership from '#accounts/models/membership'
import { can } from '#accounts/services/roles'
import { ApiError } from '#app/exceptions/api_error'

/*
| The company a request acts for, resolved by the `company` middleware (web, from the URL) or
| the `apiTenant` middleware (API, from the token). Controllers read `ctx.tenant` and scope
| every query by `tenant.companyId`.
*/
export class Tenant {
  constructor(
    public company: Company,
    public membership: Membership
  ) {}

  get companyId() {
    return this.company.id
  }

  get role() {
    return this.membership.role
  }

  can(permission: string) {
    return can(this.membership.role, permission)
  }

  authorize(permission: string) {
    if (!this.can(permission)) throw ApiError.forbidden('Your role does not allow this')
  }
}

declare module '@adonisjs/core/http' {
  interface HttpContext {
    tenant: Tenant
  }
}
