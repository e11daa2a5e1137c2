import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/* Checks that every price config/billing.ts names exists in Stripe, as configured. */
export default class BillingPlansCommand extends BaseCommand {
  static commandName = 'billing:plans'
  static description =
    'Check that the configured plan and pack prices exist in Stripe; exit 1 if not'
  static options: CommandOptions = { startApp: true }

  @flags.boolean({ description: 'Print the result as JSON' })
  declare json?: boolean

  async run() {
    const { PriceCheck } = await import('#billing/services/price_check')
    const check = await this.app.container.make(PriceCheck)
    const rows = await check.run()
    const problems = rows.filter((row) => row.problem)
    if (this.json) this.logger.log(JSON.stringify(rows))
    else {
      const table = this.ui.table().head(['What', 'Price', 'Amount', 'Every', 'Result'])
      for (const row of rows)
        table.row([row.what, row.price, row.amount, row.interval, row.problem ?? 'ok'])
      table.render()
      if (problems.length) this.logger.error(`${problems.length} price(s) need attention`)
      else this.logger.success(`${rows.length} prices exist in Stripe as configured`)
    }
    if (problems.length) this.exitCode = 1
  }
}
