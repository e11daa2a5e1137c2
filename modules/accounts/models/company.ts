import { DateTime } from 'luxon'
import { BaseModel, column, hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import Membership from '#accounts/models/membership'
import Invitation from '#accounts/models/invitation'

/* A tenant. Everything company-scoped in Tandem hangs off a company id. */
export default class Company extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare name: string

  /** Created with the account at sign-up; deleted with it when nobody else is a member. */
  @column({ consume: (value) => Boolean(value) })
  declare personal: boolean

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @hasMany(() => Membership)
  declare memberships: HasMany<typeof Membership>

  @hasMany(() => Invitation)
  declare invitations: HasMany<typeof Invitation>

  serializeForApi() {
    return {
      id: this.id,
      name: this.name,
      personal: this.personal,
      createdAt: this.createdAt.toISO(),
    }
  }
}
