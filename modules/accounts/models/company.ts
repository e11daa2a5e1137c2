import { DateTime } from 'luxon'
import { BaseModel, beforeCreate, column, hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import Membership from '#accounts/models/membership'
import Invitation from '#accounts/models/invitation'
import { slugify } from '#accounts/services/slugs'

/* A tenant. Everything company-scoped in Tandem hangs off a company id. */
export default class Company extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare name: string

  /** Unique and stable (renaming keeps it): how operators name a company in commands. */
  @column()
  declare slug: string | null

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

  @beforeCreate()
  static async assignSlug(company: Company) {
    if (company.slug) return
    const base = slugify(company.name)
    const taken = await Company.query({ client: company.$trx })
      .where('slug', base)
      .orWhere('slug', 'like', `${base}-%`)
      .select('slug')
    const used = new Set(taken.map((row) => row.slug))
    let slug = base
    for (let n = 2; used.has(slug); n++) slug = `${base}-${n}`
    company.slug = slug
  }

  serializeForApi() {
    return {
      id: this.id,
      name: this.name,
      personal: this.personal,
      createdAt: this.createdAt.toISO(),
    }
  }
}
