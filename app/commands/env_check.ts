import { BaseCommand, flags } from '@adonisjs/core/ace'
import { checkEnvironment } from '#app/env/checks'

/*
| Validates the current environment with the app's own rules (start/env.ts), then reports what
| is missing or unsafe for its profile. Exits 1 when something must be fixed.
*/
export default class EnvCheck extends BaseCommand {
  static commandName = 'env:check'
  static description = 'Validate the environment and report what is missing or unsafe'

  @flags.boolean({ description: 'Print JSON' })
  declare json?: boolean

  @flags.string({ description: 'Check this file instead of the .env files of the app' })
  declare file?: string

  async run() {
    if (this.file) await this.#load(this.file)
    try {
      await import('#start/env')
    } catch (error: any) {
      this.logger.error(error.message)
      if (error.help) this.logger.log(error.help)
      this.exitCode = 1
      return
    }
    const findings = checkEnvironment(process.env)
    this.exitCode = findings.some((finding) => finding.level === 'error') ? 1 : 0
    if (this.json) return this.logger.log(JSON.stringify(findings))

    const icon = {
      ok: this.colors.green('✓'),
      warning: this.colors.yellow('!'),
      error: this.colors.red('✗'),
    }
    for (const finding of findings)
      this.logger.log(`${icon[finding.level]} ${finding.key.padEnd(16)} ${finding.message}`)
    this.logger.log(
      this.exitCode
        ? this.colors.red('\nFix the ✗ items before deploying.')
        : this.colors.green('\nLooks good.')
    )
  }

  /* Values from the file win over the app's .env files (which are only read for unset keys). */
  async #load(file: string) {
    const { readFile } = await import('node:fs/promises')
    const { EnvParser } = await import('@adonisjs/core/env')
    const values = await new EnvParser(
      await readFile(this.app.makePath(file), 'utf8'),
      this.app.appRoot
    ).parse()
    Object.assign(process.env, values)
  }
}
