import { existsSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { BaseCommand, args, flags } from '@adonisjs/core/ace'
import { PROFILES, renderProfile, type Profile } from '#app/env/profiles'

/* Writes a commented .env for a profile, with freshly generated secrets. */
export default class EnvInit extends BaseCommand {
  static commandName = 'env:init'
  static description = 'Write a .env for the local, production or desktop profile'
  static help = [
    'node ace env:init local',
    'node ace env:init production --file=.env.production',
    'node ace env:init desktop --force',
  ]

  @args.string({ description: `Profile: ${PROFILES.join(' | ')}` })
  declare profile: string

  @flags.string({ description: 'File to write', default: '.env' })
  declare file: string

  @flags.boolean({ description: 'Overwrite an existing file' })
  declare force?: boolean

  async run() {
    if (!PROFILES.includes(this.profile as Profile)) {
      this.logger.error(`Unknown profile "${this.profile}". Use one of: ${PROFILES.join(', ')}`)
      this.exitCode = 1
      return
    }
    const path = this.app.makePath(this.file)
    if (existsSync(path) && !this.force) {
      this.logger.error(
        `${this.file} already exists. Use --force to replace it (its APP_KEY signs everyone's sessions).`
      )
      this.exitCode = 1
      return
    }
    await writeFile(path, renderProfile(this.profile as Profile), { mode: 0o600 })
    this.logger.success(`Wrote ${this.file} for the ${this.profile} profile`)
    this.logger.log(
      this.colors.dim(
        `Review it, then run: node ace env:check${this.file === '.env' ? '' : ` (with ENV_PATH pointing at it)`}`
      )
    )
  }
}
