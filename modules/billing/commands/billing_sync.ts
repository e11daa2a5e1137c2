import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/* Applies Stripe events that never arrived (a webhook outage), idempotently. */
export default class BillingSyncCommand extends BaseCommand {
  static commandName = 'billing:sync'
  static description = 'List Stripe events since a moment and apply any that were missed'
  static help = [
    'node ace billing:sync --since=36h',
    'node ace billing:sync --since=2026-11-30T00:00:00Z',
  ]
  static options: CommandOptions = { startApp: true }

  @flags.string({
    description: 'From when: 36h, 3d, 90m, an ISO date or unix seconds (default 3d)',
  })
  declare since?: string

  @flags.boolean({ description: 'Print the report as JSON' })
  declare json?: boolean

  async run() {
    const { BillingSync, parseSince } = await import('#billing/services/billing_sync')
    const sync = await this.app.container.make(BillingSync)
    let last = 0
    let since: number
    try {
      since = parseSince(this.since)
    } catch (error) {
      this.logger.error((error as Error).message)
      this.exitCode = 1
      return
    }
    const report = await sync
      .run(since, (done, total) => {
        if (this.json || (done !== total && Date.now() - last < 1000)) return
        last = Date.now()
        this.logger.info(`${done}/${total} events`)
      })
      .catch((error: Error) => {
        this.logger.error(`Stripe's events could not be listed: ${error.message}`)
        return null
      })
    if (!report) {
      this.exitCode = 1
      return
    }
    if (this.json) this.logger.log(JSON.stringify(report))
    else {
      this.logger.success(
        `${report.events} events since ${report.since}: ${report.applied} applied, ${report.alreadyApplied} already applied, ${report.ignored} not for Tandem`
      )
      for (const failure of report.failed)
        this.logger.error(`${failure.id} (${failure.type}): ${failure.error}`)
    }
    if (report.failed.length) this.exitCode = 1
  }
}
