import { DateTime } from 'luxon'
import hash from '@adonisjs/core/services/hash'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column, hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import { withAuthFinder } from '@adonisjs/auth/mixins/lucid'
import { DbRememberMeTokensProvider } from '@adonisjs/auth/session'
import Membership from '#accounts/models/membership'
import {
  CompanyAccessTokensProvider,
  type CompanyAccessToken,
} from '#accounts/services/company_access_tokens'

const AuthFinder = withAuthFinder(() => hash.use(), {
  uids: ['email'],
  passwordColumnName: 'password',
})

export default class User extends compose(BaseModel, AuthFinder) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare email: string

  @column()
  declare fullName: string | null

  @column({ serializeAs: null })
  declare password: string

  /** Platform admin (the admin module); set with `node ace users:promote`. */
  @column({ consume: (value) => Boolean(value) })
  declare isAdmin: boolean

  @column.dateTime()
  declare emailVerifiedAt: DateTime | null

  /** A new address waiting for confirmation (the account keeps `email` until then). */
  @column()
  declare pendingEmail: string | null

  @column.dateTime()
  declare disabledAt: DateTime | null

  @column()
  declare currentCompanyId: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @hasMany(() => Membership)
  declare memberships: HasMany<typeof Membership>

  static accessTokens = CompanyAccessTokensProvider.forUserModel(User)
  static rememberMeTokens = DbRememberMeTokensProvider.forModel(User)

  /** Set by the `api` guard for bearer-token requests. */
  declare currentAccessToken?: CompanyAccessToken

  get displayName() {
    return this.fullName || this.email.split('@')[0]
  }

  get isDisabled() {
    return this.disabledAt !== null
  }

  serializeForApi() {
    return {
      id: this.id,
      email: this.email,
      fullName: this.fullName,
      emailVerified: this.emailVerifiedAt !== null,
      isAdmin: this.isAdmin,
      createdAt: this.createdAt.toISO(),
    }
  }
}
