import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { progressBar } from '#files/services/progress_bar'

/* Purges deleted files older than FILES_PURGE_AFTER_DAYS (or --days), with progress. */
export default class FilesPruneCommand extends BaseCommand {
  static commandName = 'files:prune'
  static description = 'Remove the bytes and rows of files deleted more than N days ago'
  static options: CommandOptions = { startApp: true }

  @flags.number({ description: 'Days a deleted file is kept (default: FILES_PURGE_AFTER_DAYS, 7)' })
  declare days?: number

  @flags.boolean({ description: 'Print the result as JSON' })
  declare json?: boolean

  async run() {
    const { FilesMaintenance } = await import('#files/services/maintenance')
    const maintenance = await this.app.container.make(FilesMaintenance)
    if (this.days !== undefined && (!Number.isInteger(this.days) || this.days < 0)) {
      this.logger.error('--days must be a whole number of days')
      this.exitCode = 1
      return
    }
    const result = await maintenance.purge(this.days, (done, total) => {
      if (!this.json) progressBar(done, total, 'files')
    })
    if (this.json) this.logger.log(JSON.stringify(result))
    else
      this.logger.success(`Purged ${result.files} files (${result.bytes.toLocaleString()} bytes)`)
  }
}
