import type { HttpContext } from '@adonisjs/core/http'
import Task from '#tasks/models/task'
import { presentTask } from '#tasks/services/task_presenter'
import { listTasksValidator } from '#tasks/validators/task'

/* Every company's tasks, for platform admins, who may cancel any of them. */
export default class AdminTasksController {
  async index({ inertia, request }: HttpContext) {
    const { status, page } = await request.validateUsing(listTasksValidator, { data: request.qs() })
    const query = Task.query().preload('user').preload('company').orderBy('id', 'desc')
    if (status) query.where('status', status)
    const result = await query.paginate(page ?? 1, 50)
    return inertia.render('tasks/admin/index', {
      filters: { status: status ?? '' },
      tasks: result.all().map((task) => ({
        ...presentTask(task),
        by: task.user?.email ?? null,
        company: task.company?.name ?? null,
        canCancel: true,
      })),
      meta: result.getMeta(),
    })
  }
}
