import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { dbIdOr404 } from '#app/helpers/ids'
import { TasksService } from '#tasks/services/tasks_service'
import { presentTask } from '#tasks/services/task_presenter'
import { canCancel } from '#tasks/services/task_access'
import { listTasksValidator } from '#tasks/validators/task'

/* The company's tasks: running and finished, updated live over the realtime channel. */
@inject()
export default class TasksController {
  constructor(private tasks: TasksService) {}

  async index({ inertia, request, tenant, auth }: HttpContext) {
    const { status, page } = await request.validateUsing(listTasksValidator, { data: request.qs() })
    const query = this.tasks.forCompany(tenant.companyId).preload('user').orderBy('id', 'desc')
    if (status) query.where('status', status)
    const result = await query.paginate(page ?? 1, 25)
    const userId = auth.getUserOrFail().id
    return inertia.render('tasks/tasks/index', {
      filters: { status: status ?? '' },
      tasks: result.all().map((task) => ({
        ...presentTask(task),
        by: task.user?.fullName ?? task.user?.email ?? null,
        canCancel: canCancel(task, userId, (p) => tenant.can(p)),
      })),
      meta: result.getMeta(),
    })
  }

  async show({ inertia, params, tenant, auth }: HttpContext) {
    const task = await this.tasks.findForCompany(tenant.companyId, dbIdOr404(params.id))
    await task.load('logs', (query) => query.orderBy('id', 'asc').limit(1000))
    await task.load('user')
    return inertia.render('tasks/tasks/show', {
      task: {
        ...presentTask(task),
        by: task.user?.fullName ?? task.user?.email ?? null,
        canCancel: canCancel(task, auth.getUserOrFail().id, (p) => tenant.can(p)),
      },
      logs: task.logs.map((line) => ({
        id: line.id,
        level: line.level,
        message: line.message,
        at: line.createdAt.toISO(),
      })),
    })
  }
}
