import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { ApiError } from '#app/exceptions/api_error'
import { dbIdOr404 } from '#app/helpers/ids'
import { TasksService } from '#tasks/services/tasks_service'
import { canCancel } from '#tasks/services/task_access'
import { presentTask } from '#tasks/services/task_presenter'

/* POST …/tasks/:id/cancellation — web (redirects back) and API (returns the task). */
@inject()
export default class CancellationsController {
  constructor(private tasks: TasksService) {}

  async store(ctx: HttpContext) {
    const { params, tenant, auth, request, response } = ctx
    const task = await this.tasks.findForCompany(tenant.companyId, dbIdOr404(params.id))
    if (!canCancel(task, auth.getUserOrFail().id, (p) => tenant.can(p))) {
      throw ApiError.forbidden('Only its author or a company admin can cancel this task')
    }
    await this.tasks.cancel(task)
    if (request.url().startsWith('/api/')) return { data: presentTask(task) }
    ctx.session.flash('success', task.finished ? 'Task cancelled.' : 'Cancelling the task…')
    return response.redirect().back()
  }
}
