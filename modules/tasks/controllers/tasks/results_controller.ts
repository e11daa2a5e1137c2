import { stat } from 'node:fs/promises'
import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { ApiError } from '#app/exceptions/api_error'
import { dbIdOr404 } from '#app/helpers/ids'
import { TasksService } from '#tasks/services/tasks_service'

/* GET …/tasks/:id/result — the file a finished task produced, as a download. */
@inject()
export default class ResultsController {
  constructor(private tasks: TasksService) {}

  async show({ params, tenant, response }: HttpContext) {
    const task = await this.tasks.findForCompany(tenant.companyId, dbIdOr404(params.id))
    const exists = task.resultFile ? await stat(task.resultFile).catch(() => null) : null
    if (task.status !== 'completed' || !exists) {
      throw ApiError.notFound('This task has no result file')
    }
    response.header('cache-control', 'private, no-store')
    response.attachment(task.resultFile!, task.resultFileName ?? 'result')
  }
}
