import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { dbIdOr404 } from '#app/helpers/ids'
import { paginateByCursor } from '#app/helpers/cursor'
import { TasksService } from '#tasks/services/tasks_service'
import { presentTask } from '#tasks/services/task_presenter'
import { apiListTasksValidator } from '#tasks/validators/task'

/* GET /api/v1/tasks and /api/v1/tasks/:id — the token's company tasks (needs `tasks:read`). */
@inject()
export default class ApiTasksController {
  constructor(private tasks: TasksService) {}

  async index({ request, tenant }: HttpContext) {
    const filters = await request.validateUsing(apiListTasksValidator, { data: request.qs() })
    const query = this.tasks.forCompany(tenant.companyId)
    if (filters.status) query.where('status', filters.status)
    const page = await paginateByCursor(query, {
      limit: filters.limit ?? 50,
      cursor: filters.cursor,
    })
    return { data: page.rows.map(presentTask), nextCursor: page.nextCursor }
  }

  async show({ params, tenant }: HttpContext) {
    const task = await this.tasks.findForCompany(tenant.companyId, dbIdOr404(params.id))
    return { data: presentTask(task) }
  }
}
