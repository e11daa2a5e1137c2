import { BaseCommand, args, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/* Grants credits to a company from the command line (recorded with the operator as actor). */
export default class CreditsGrant extends BaseCommand {
  static commandName = 'credits:grant'
  static description = 'Grant credits to a company'
  static help = [
    'node ace credits:grant acme-rendering 500 --expires=2027-01-31 --reason="Launch promotion"',
    'node ace credits:grant 12 1000 --expires=30d --free',
  ]
  static options: CommandOptions = { startApp: true }

  @args.string({ description: 'Company id or slug' })
  declare company: string

  @args.string({ description: 'Whole number of credits' })
  declare amount: string

  @flags.string({
    description: 'Expiry: a date (2027-01-31), a time (ISO 8601) or a duration (30d, 12h)',
  })
  declare expires?: string

  @flags.boolean({ description: 'A free grant (default: paid)' })
  declare free?: boolean

  @flags.string({ description: 'Why (kept in the ledger)', default: 'Granted by an operator' })
  declare reason: string

  @flags.boolean({ description: 'Print the result as JSON' })
  declare json?: boolean

  async run() {
    const { default: Company } = await import('#accounts/models/company')
    const { CreditsService } = await import('#credits/services/credits_service')
    const { parseExpiry } = await import('#credits/services/expiry')
    const credits = await this.app.container.make(CreditsService)
    const amount = Number(this.amount)
    const company = /^\d+$/.test(this.company)
      ? await Company.find(Number(this.company))
      : await Company.findBy('slug', this.company.toLowerCase())
    if (!company) return this.#fail(`No company "${this.company}"`)
    if (!Number.isSafeInteger(amount) || amount <= 0)
      return this.#fail('The amount must be a positive whole number')
    const expiresAt = this.expires ? parseExpiry(this.expires, credits.now()) : null
    if (expiresAt === undefined || (expiresAt !== null && expiresAt <= credits.now()))
      return this.#fail(`--expires must be in the future: a date, an ISO time or 30d / 12h`)

    const { result, after } = await credits.grant(company.id, {
      amount,
      type: 'grant',
      kind: this.free ? 'free' : 'paid',
      expiresAt,
      actor: { type: 'system', id: `cli:${process.env.USER ?? 'unknown'}` },
      reason: this.reason,
    })
    const output = {
      companyId: company.id,
      grantId: result.grantId,
      transactionId: result.entryId,
      balance: after.balance,
      available: after.balance - after.held,
      expiresAt: expiresAt === null ? null : new Date(expiresAt).toISOString(),
    }
    if (this.json) return this.logger.log(JSON.stringify(output))
    this.logger.success(
      `Granted ${amount} credits to ${company.name} (#${company.id})${output.expiresAt ? `, expiring ${output.expiresAt}` : ''}: balance ${after.balance}`
    )
  }

  #fail(message: string) {
    this.logger.error(message)
    this.exitCode = 1
  }
}
