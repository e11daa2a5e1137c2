import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { progressBar } from '#files/services/progress_bar'

/* Compares the files table with the storage; exits 1 when anything is missing, extra or changed. */
export default class FilesVerifyCommand extends BaseCommand {
  static commandName = 'files:verify'
  static description = 'Check stored files: missing objects, orphans and sha256 mismatches'
  static options: CommandOptions = { startApp: true }

  @flags.boolean({ description: 'Skip re-hashing the bytes (existence only)' })
  declare quick?: boolean

  @flags.boolean({ description: 'Print the report as JSON' })
  declare json?: boolean

  async run() {
    const { FilesMaintenance } = await import('#files/services/maintenance')
    const maintenance = await this.app.container.make(FilesMaintenance)
    const report = await maintenance.verify({ checksums: !this.quick }, (done, total) => {
      if (!this.json) progressBar(done, total, 'files')
    })
    const problems = report.missing.length + report.mismatched.length + report.orphans.length
    if (this.json) this.logger.log(JSON.stringify(report))
    else if (!problems) this.logger.success(`${report.files} files match the storage`)
    else {
      for (const id of report.missing) this.logger.error(`file ${id}: object missing from storage`)
      for (const id of report.mismatched)
        this.logger.error(`file ${id}: sha256 differs from the recorded one`)
      for (const key of report.orphans) this.logger.warning(`orphan object ${key}: no file row`)
    }
    if (problems) this.exitCode = 1
  }
}
