import type { HttpContext } from '@adonisjs/core/http'
import { permissionsOf } from '#accounts/services/roles'

/* GET /api/v1/me: who the token acts as, for which company, with which abilities. */
export default class MeController {
  async show({ auth, tenant }: HttpContext) {
    const user = auth.getUserOrFail()
    const token = user.currentAccessToken!
    return {
      user: user.serializeForApi(),
      company: { ...tenant.company.serializeForApi(), role: tenant.role },
      abilities: token.abilities,
      permissions: permissionsOf(tenant.role),
      token: {
        id: Number(token.identifier),
        name: token.name,
        expiresAt: token.expiresAt?.toISOString() ?? null,
        lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
      },
    }
  }
}
