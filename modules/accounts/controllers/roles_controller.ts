import type { HttpContext } from '@adonisjs/core/http'
import { ROLES, permissionsOf } from '#accounts/services/roles'

/* What each role may do in a company (read-only: roles are defined in code). */
export default class RolesController {
  async index({ inertia, tenant }: HttpContext) {
    return inertia.render('accounts/roles/index', {
      company: tenant.company.serializeForApi(),
      myRole: tenant.role,
      roles: ROLES.map((role) => ({ name: role, permissions: permissionsOf(role) })),
    })
  }
}
