import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import Task from '#tasks/models/task'
import { dbIdOr404 } from '#app/helpers/ids'
import { ApiError } from '#app/exceptions/api_error'
import { TasksService } from '#tasks/services/tasks_service'

/* POST /admin/tasks/:id/cancellation — admins may cancel any company's task. */
@inject()
export default class AdminCancellationsController {
  constructor(private tasks: TasksService) {}

  async store({ params, response, session }: HttpContext) {
    const task = await Task.find(dbIdOr404(params.id))
    if (!task) throw ApiError.notFound('Task not found')
    await this.tasks.cancel(task)
    session.flash('success', task.finished ? 'Task cancelled.' : 'Cancelling the task…')
    return response.redirect().back()
  }
}
