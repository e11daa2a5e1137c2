import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import User from '#accounts/models/user'
import Membership from '#accounts/models/membership'
import { issueDesktopTokenValidator } from '#accounts/validators/api_token'
import { CredentialsService } from '#accounts/services/credentials_service'
import { ApiTokensService } from '#accounts/services/api_tokens_service'
import { ApiError } from '#app/exceptions/api_error'
import AccessRevoked from '#accounts/events/access_revoked'

/*
| Desktop sign-in and sign-out: POST /api/v1/auth/tokens trades email + password for a bearer
| token bound to one company; DELETE /api/v1/auth/tokens/current revokes the calling token.
*/
@inject()
export default class AuthTokensController {
  constructor(
    private credentials: CredentialsService,
    private tokens: ApiTokensService
  ) {}

  async store({ request, response }: HttpContext) {
    const payload = await request.validateUsing(issueDesktopTokenValidator)
    const user = await this.credentials.verify(payload.email, payload.password, request.ip())

    const membership = await this.#membership(user, payload.companyId)
    const token = await this.tokens.issue(user, membership.company, {
      name: payload.deviceName,
      abilities: payload.abilities ?? ['*'],
      expiresInDays: payload.expiresInDays,
      via: 'login',
    })
    return response.created({
      token: token.value!.release(),
      type: 'bearer',
      expiresAt: token.expiresAt?.toISOString() ?? null,
      abilities: token.abilities,
      user: user.serializeForApi(),
      company: { ...membership.company.serializeForApi(), role: membership.role },
    })
  }

  async destroy({ auth, response }: HttpContext) {
    const user = auth.getUserOrFail()
    const tokenId = Number(user.currentAccessToken!.identifier)
    await auth.use('api').invalidateToken()
    await AccessRevoked.dispatch({ kind: 'token', userId: user.id, tokenId })
    return response.noContent()
  }

  /* The requested company (404 when not a member), else the current one, else the oldest membership. */
  async #membership(user: User, companyId?: number) {
    const query = Membership.query().where('userId', user.id).preload('company')
    if (companyId) {
      const membership = await query.where('companyId', companyId).first()
      if (!membership)
        throw new ApiError('E_NOT_FOUND', 'Company not found', { status: 404, field: 'companyId' })
      return membership
    }
    const memberships = await query.orderBy('id', 'asc')
    const membership =
      memberships.find((m) => m.companyId === user.currentCompanyId) ?? memberships[0]
    if (!membership)
      throw ApiError.conflict('E_NO_COMPANY', 'This account is not a member of any company')
    return membership
  }
}
