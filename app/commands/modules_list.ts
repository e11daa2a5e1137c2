import { BaseCommand, flags } from '@adonisjs/core/ace'
import { modulesFromEnv } from '#app/modules/module_env'

/* Which feature modules exist, which are on in this environment, and why. */
export default class ModulesList extends BaseCommand {
  static commandName = 'modules:list'
  static description = 'List the feature modules and whether each is enabled'

  @flags.boolean({ description: 'Print JSON' })
  declare json?: boolean

  async run() {
    const modules = await modulesFromEnv(this.app.appRoot)
    if (this.json) {
      this.logger.log(
        JSON.stringify(
          modules.all.map(({ name, enabled, required, dependsOn }) => ({
            name,
            enabled,
            required: !!required,
            dependsOn: dependsOn ?? [],
          }))
        )
      )
      return
    }
    const table = this.ui.table()
    table.head(['Module', 'Status', 'Depends on', 'Description'])
    for (const module of modules.all) {
      const status = module.enabled
        ? this.colors.green(module.required ? 'on (required)' : 'on')
        : this.colors.dim('off')
      table.row([
        module.name,
        status,
        (module.dependsOn ?? []).join(', ') || '-',
        module.description,
      ])
    }
    table.render()
    this.logger.log(
      this.colors.dim(
        'Switch modules with TANDEM_MODULES (allow-list) or TANDEM_MODULES_DISABLED (deny-list).'
      )
    )
  }
}
