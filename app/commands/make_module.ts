import { BaseCommand, args, flags } from '@adonisjs/core/ace'
import { scaffoldModule } from '#app/modules/scaffold'

export default class MakeModule extends BaseCommand {
  static commandName = 'make:module'
  static description = 'Scaffold a feature module with a route, a page and a passing test'
  static help = ['node ace make:module inventory --description="Stock levels per warehouse"']

  @args.string({ description: 'Module name (snake_case)' })
  declare name: string

  @flags.string({ description: 'One line saying what the module does' })
  declare description?: string

  async run() {
    try {
      const files = await scaffoldModule(
        this.app.makePath(),
        this.name,
        this.description ?? `The ${this.name} module`
      )
      for (const file of files) this.logger.action(`create ${file}`).succeeded()
      this.logger.action('update config/modules.ts').succeeded()
      this.logger.action('update package.json (imports)').succeeded()
      this.logger.log(
        this.colors.dim(`Run its tests: node ace test --files="${this.name}/tests/*/*"`)
      )
    } catch (error: any) {
      this.logger.error(error.message)
      this.exitCode = 1
    }
  }
}
