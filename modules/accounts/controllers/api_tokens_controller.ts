import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { createApiTokenValidator } from '#accounts/validators/api_token'
import { ApiTokensService } from '#accounts/services/api_tokens_service'
import { abilities } from '#config/abilities'

/* The member's own API tokens for this company. The secret is shown once, right after creation. */
@inject()
export default class ApiTokensController {
  constructor(private tokens: ApiTokensService) {}

  async index({ inertia, tenant, auth }: HttpContext) {
    tenant.authorize('tokens:create')
    const tokens = await this.tokens.list(auth.getUserOrFail(), tenant.companyId)
    return inertia.render('accounts/api_tokens/index', {
      company: tenant.company.serializeForApi(),
      abilities: Object.entries(abilities).map(([name, description]) => ({ name, description })),
      tokens: tokens.map((token) => ({
        id: Number(token.identifier),
        name: token.name,
        abilities: token.abilities,
        createdAt: token.createdAt.toISOString(),
        lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
        expiresAt: token.expiresAt?.toISOString() ?? null,
        expired: token.isExpired(),
      })),
    })
  }

  async store({ request, response, tenant, auth, session }: HttpContext) {
    tenant.authorize('tokens:create')
    const payload = await request.validateUsing(createApiTokenValidator)
    const token = await this.tokens.issue(auth.getUserOrFail(), tenant.company, {
      ...payload,
      via: 'ui',
    })
    session.flash('token', token.value!.release())
    session.flash(
      'success',
      `Token "${payload.name}" created. Copy it now: it will not be shown again.`
    )
    return response.redirect().toRoute('accounts.api_tokens.index', { companyId: tenant.companyId })
  }

  async destroy({ response, tenant, auth, params, session }: HttpContext) {
    await this.tokens.revoke(auth.getUserOrFail(), tenant.companyId, Number(params.id))
    session.flash('success', 'Token revoked. Clients using it are signed out.')
    return response.redirect().toRoute('accounts.api_tokens.index', { companyId: tenant.companyId })
  }
}
