import type { HttpContext } from '@adonisjs/core/http'
import { ModuleProvider, type NavigationEntry } from '#app/modules/module_provider'
import modulesConfig from '#config/modules'
import { jobReporter } from '#app/queue/reporter'
import { grant } from '#accounts/services/roles'
import { TaskReporter } from '#tasks/services/task_reporter'
import openapi from '#tasks/openapi'

/*
| Tasks: jobs dispatched with `{ task: … }` become rows people follow (progress, log, result,
| cancel). The reporter plugs into the kernel queue; pushes go to the company's room.
*/
const isAdmin = (ctx: HttpContext) => Boolean(ctx.auth.user?.isAdmin)

export default class TasksProvider extends ModuleProvider {
  routes = () => import('#tasks/routes')

  navigation = (
    [
      {
        section: 'company' as const,
        label: 'Tasks',
        route: 'tasks.tasks.index',
        icon: 'bolt',
        order: 40,
      },
      {
        section: 'admin' as const,
        label: 'Tasks',
        route: 'tasks.admin_tasks.index',
        icon: 'list',
        order: 30,
        visible: isAdmin,
      },
    ] as NavigationEntry[]
  ).filter((entry) => entry.section !== 'admin' || modulesConfig.isEnabled('admin'))

  register() {
    grant('tasks:manage', ['owner', 'admin'])
  }

  async boot() {
    jobReporter.use(new TaskReporter(this.app))
  }

  async shutdown() {
    jobReporter.use(null)
  }

  openapi() {
    return openapi
  }
}
