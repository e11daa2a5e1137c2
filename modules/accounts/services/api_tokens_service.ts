import User from '#accounts/models/user'
import type Company from '#accounts/models/company'
import ApiTokenCreated from '#accounts/events/api_token_created'
import AccessRevoked from '#accounts/events/access_revoked'
import { abilities as catalog } from '#config/abilities'
import { ApiError } from '#app/exceptions/api_error'
import { isDbId } from '#app/helpers/ids'

export type IssueTokenInput = {
  name: string
  abilities: string[]
  /** Days until the token expires; null for a token that lasts until revoked. */
  expiresInDays?: number | null
  via: 'login' | 'ui'
}

/* API tokens for desktops and scripts: one user, one company, chosen abilities. */
export class ApiTokensService {
  async issue(user: User, company: Company, input: IssueTokenInput) {
    const unknown = input.abilities.filter((ability) => ability !== '*' && !(ability in catalog))
    if (unknown.length) {
      throw ApiError.invalid(
        'E_UNKNOWN_ABILITY',
        `Unknown abilities: ${unknown.join(', ')}`,
        'abilities'
      )
    }
    const token = await User.accessTokens.create(user, [...new Set(input.abilities)], {
      companyId: company.id,
      name: input.name,
      expiresIn: input.expiresInDays ? `${input.expiresInDays} days` : undefined,
    })
    await ApiTokenCreated.dispatch({
      userId: user.id,
      companyId: company.id,
      tokenId: Number(token.identifier),
      name: token.name,
      via: input.via,
    })
    return token
  }

  list(user: User, companyId: number) {
    return User.accessTokens.forCompany(user, companyId)
  }

  async revoke(user: User, companyId: number, tokenId: number) {
    const revoked = isDbId(tokenId) && (await User.accessTokens.revoke(user, companyId, tokenId))
    if (!revoked) throw ApiError.notFound('Token not found')
    await AccessRevoked.dispatch({ kind: 'token', userId: user.id, tokenId })
  }
}
