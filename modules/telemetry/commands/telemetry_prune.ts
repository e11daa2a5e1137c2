import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/*
| Deletes raw telemetry events older than the retention (TELEMETRY_RETENTION_DAYS, or --days),
| in batches so ingestion keeps going, with a progress bar. --dry-run only counts.
*/
export default class TelemetryPruneCommand extends BaseCommand {
  static commandName = 'telemetry:prune'
  static description = 'Delete telemetry events older than the retention, in batches'
  static options: CommandOptions = { startApp: true }

  @flags.number({ description: 'Keep this many days (default: TELEMETRY_RETENTION_DAYS, 90)' })
  declare days?: number

  @flags.number({ description: 'Rows per delete statement', default: 5000 })
  declare batch: number

  @flags.boolean({ description: 'Count what would be deleted, delete nothing' })
  declare dryRun?: boolean

  @flags.boolean({ description: 'Print the result as JSON' })
  declare json?: boolean

  async run() {
    const { TelemetrySettings } = await import('#telemetry/services/telemetry_settings')
    const { countPrunable, pruneEvents } = await import('#telemetry/services/prune')
    const settings = await this.app.container.make(TelemetrySettings)
    const days = this.days ?? settings.retentionDays
    if (!Number.isInteger(days) || days < 1 || !Number.isInteger(this.batch) || this.batch < 1) {
      this.logger.error('--days and --batch must be positive whole numbers')
      this.exitCode = 1
      return
    }
    const olderThan = settings.now() - days * 86_400_000
    const total = await countPrunable(olderThan)
    const cutoff = new Date(olderThan).toISOString()
    if (this.dryRun || total === 0) {
      this.#report({ deleted: 0, prunable: total, days, cutoff, dryRun: Boolean(this.dryRun) })
      return
    }
    const started = performance.now()
    const result = await pruneEvents({
      olderThan,
      batchSize: this.batch,
      onBatch: (progress) => this.#progress(progress.deleted, total),
    })
    if (!this.json) process.stderr.write('\n')
    this.#report({
      deleted: result.deleted,
      batches: result.batches,
      days,
      cutoff,
      durationMs: Math.round(performance.now() - started),
    })
  }

  #progress(done: number, total: number) {
    if (this.json) return
    const share = Math.min(1, done / total)
    const bar = '█'.repeat(Math.round(share * 30)).padEnd(30, '░')
    process.stderr.write(
      `\r${bar} ${Math.round(share * 100)}%  ${done.toLocaleString()} / ${total.toLocaleString()} events`
    )
  }

  #report(result: Record<string, unknown>) {
    if (this.json) return this.logger.log(JSON.stringify(result))
    if (result.dryRun)
      return this.logger.info(
        `${Number(result.prunable).toLocaleString()} events older than ${result.cutoff} (${result.days} days) would be deleted`
      )
    this.logger.success(
      `Deleted ${Number(result.deleted).toLocaleString()} events received before ${result.cutoff} (${result.days} days kept)`
    )
  }
}
