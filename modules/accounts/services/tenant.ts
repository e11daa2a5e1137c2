import type Company from '#accounts/models/company'
import type Membership from '#accounts/models/membership'
import { can, type Role } from '#accounts/services/roles'
import { ApiError } from '#app/exceptions/api_error'

/*
| The company a request acts for, resolved by the `company` middleware (web, from the URL) or
| the `apiTenant` middleware (API, from the token). Controllers read `ctx.tenant` and scope
| every query by `tenant.companyId`.
*/
export class Tenant {
  #company?: Company
  #membership?: Membership
  #rows?: TenantRows

  constructor(company: Company, membership: Membership)
  /*
  | For API requests: the ids and role come with the bearer token's row, and the two models are
  | made from that row only when a controller asks for them (most API writes never do).
  */
  constructor(rows: TenantRows)
  constructor(companyOrRows: Company | TenantRows, membership?: Membership) {
    if (membership) {
      this.#company = companyOrRows as Company
      this.#membership = membership
    } else {
      this.#rows = companyOrRows as TenantRows
    }
  }

  get company(): Company {
    return (this.#company ??= this.#rows!.company())
  }

  get membership(): Membership {
    return (this.#membership ??= this.#rows!.membership())
  }

  get companyId(): number {
    return this.#company ? this.#company.id : this.#rows!.companyId
  }

  get role(): Role {
    return this.#membership ? this.#membership.role : this.#rows!.role
  }

  can(permission: string) {
    return can(this.role, permission)
  }

  authorize(permission: string) {
    if (!this.can(permission)) throw ApiError.forbidden('Your role does not allow this')
  }
}

/* A membership read with a bearer token: its ids and role, and how to make its models. */
export type TenantRows = {
  companyId: number
  role: Role
  company: () => Company
  membership: () => Membership
}

declare module '@adonisjs/core/http' {
  interface HttpContext {
    tenant: Tenant
  }
}
