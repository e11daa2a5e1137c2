import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/*
| Checks every invariant of the credits ledger over all companies; exits 1 with a report when
| any is broken (see CreditsAudit for the list).
*/
export default class CreditsAuditCommand extends BaseCommand {
  static commandName = 'credits:audit'
  static description = 'Check the credits ledger of every company; exit 1 on any violation'
  static options: CommandOptions = { startApp: true }

  @flags.boolean({ description: 'Print the result as JSON' })
  declare json?: boolean

  async run() {
    const { CreditsAudit } = await import('#credits/services/credits_audit')
    const started = performance.now()
    const report = await new CreditsAudit().run()
    const ms = Math.round(performance.now() - started)
    if (this.json) {
      this.logger.log(JSON.stringify({ ...report, durationMs: ms }))
    } else if (report.violations.length === 0) {
      this.logger.success(
        `Ledger consistent: ${report.companies} compan${report.companies === 1 ? 'y' : 'ies'}, ${report.entries} entries checked in ${ms} ms`
      )
    } else {
      const table = this.ui.table().head(['Company', 'Check', 'Detail'])
      for (const v of report.violations) table.row([String(v.companyId), v.check, v.detail])
      table.render()
      this.logger.error(`${report.violations.length} violation(s) in ${report.companies} companies`)
    }
    if (report.violations.length) this.exitCode = 1
  }
}
