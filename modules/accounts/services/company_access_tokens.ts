import { RuntimeException } from '@adonisjs/core/exceptions'
import type { Secret } from '@adonisjs/core/helpers'
import { AccessToken, DbAccessTokensProvider } from '@adonisjs/auth/access_tokens'
import type { LucidModel, LucidRow } from '@adonisjs/lucid/types/model'
import { isDbId } from '#app/helpers/ids'
import { insertedId } from '#app/helpers/query_results'

/*
| API tokens that act for one company. The stock provider stores user + abilities; this one
| also stores the company, in the same INSERT, and exposes it on the verified token so every
| API request knows its tenant without another query.
*/
export type CompanyAccessToken = AccessToken & { companyId: number }

export type CreateTokenOptions = { name?: string; expiresIn?: string | number; companyId?: number }

export class CompanyAccessTokensProvider<
  Model extends LucidModel,
> extends DbAccessTokensProvider<Model> {
  static forUserModel<Model extends LucidModel>(model: Model) {
    return new CompanyAccessTokensProvider<Model>({
      tokenableModel: model,
      table: 'auth_access_tokens',
      type: 'api_token',
      prefix: 'tdm_',
      tokenSecretLength: 40,
    })
  }

  /* For the API guard's user provider, which reads tokens joined with their user (token_user_provider.ts). */
  get tableName() {
    return this.table
  }

  get tokenType() {
    return this.type
  }

  get tokenPrefix() {
    return this.prefix
  }

  dbRowToAccessToken(row: any): CompanyAccessToken {
    const token = super.dbRowToAccessToken(row) as CompanyAccessToken
    token.companyId = Number(row.company_id)
    return token
  }

  async create(
    user: InstanceType<Model>,
    abilities: string[] = ['*'],
    options: CreateTokenOptions = {}
  ) {
    const companyId = options.companyId ?? (user as any).currentCompanyId
    if (!companyId) throw new RuntimeException('An API token needs a company')
    const transient = AccessToken.createTransientToken(
      (user as LucidRow).$primaryKeyValue!,
      this.tokenSecretLength,
      options.expiresIn ?? this.options.expiresIn
    )
    const now = new Date()
    const row = {
      tokenable_id: transient.userId,
      company_id: companyId,
      type: this.type,
      name: options.name ?? null,
      hash: transient.hash,
      abilities: JSON.stringify(abilities),
      created_at: now,
      updated_at: now,
      last_used_at: null,
      expires_at: transient.expiresAt ?? null,
    }
    const client = await this.getDb()
    const id = insertedId(await client.table(this.table).insert(row).returning('id'))

    const token = new AccessToken({
      identifier: id,
      tokenableId: row.tokenable_id,
      type: row.type,
      prefix: this.prefix,
      secret: transient.secret,
      name: row.name,
      hash: row.hash,
      abilities,
      createdAt: now,
      updatedAt: now,
      lastUsedAt: null,
      expiresAt: row.expires_at,
    }) as CompanyAccessToken
    token.companyId = companyId
    return token
  }

  /*
  | Like the stock verify, but the secret is checked *before* `last_used_at` is written (so "last
  | used" cannot be faked by guessing an id), and an identifier that is not a row id is refused
  | without a query.
  */
  async verify(value: Secret<string>): Promise<CompanyAccessToken | null> {
    const decoded = AccessToken.decode(this.prefix, value.release())
    if (!decoded || !isDbId(String(decoded.identifier))) return null
    const client = await this.getDb()
    const row = await client
      .from(this.table)
      .where({ id: decoded.identifier, type: this.type })
      .first()
    if (!row) return null
    const token = this.dbRowToAccessToken(row)
    if (!token.verify(decoded.secret) || token.isExpired()) return null
    const now = new Date()
    await client.from(this.table).where({ id: row.id }).update({ last_used_at: now })
    token.lastUsedAt = now
    return token
  }

  /** The user's tokens for one company, most recently created first. */
  async forCompany(user: InstanceType<Model>, companyId: number): Promise<CompanyAccessToken[]> {
    const client = await this.getDb()
    const rows = await client
      .from(this.table)
      .where({
        tokenable_id: (user as LucidRow).$primaryKeyValue,
        company_id: companyId,
        type: this.type,
      })
      .orderBy('id', 'desc')
    return rows.map((row: any) => this.dbRowToAccessToken(row))
  }

  /** Deletes one of the user's tokens in a company; false when there is no such token. */
  async revoke(user: InstanceType<Model>, companyId: number, tokenId: number) {
    const client = await this.getDb()
    const deleted = await client
      .from(this.table)
      .where({
        id: tokenId,
        tokenable_id: (user as LucidRow).$primaryKeyValue,
        company_id: companyId,
        type: this.type,
      })
      .delete()
    return Number(deleted) > 0
  }
}
