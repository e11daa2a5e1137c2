import { inject } from '@adonisjs/core'
import { Job, type JobContext } from '#app/queue/job'
import { TasksService } from '#tasks/services/tasks_service'

/* Task history retention: finished tasks older than TASKS_RETENTION_DAYS (default 30) go. */
@inject()
export default class PruneTasks extends Job<{ retentionDays?: number }> {
  static schedule = '17 3 * * *'

  constructor(protected tasks: TasksService) {
    super()
  }

  async handle(payload: { retentionDays?: number }, ctx: JobContext) {
    const days = payload.retentionDays ?? Number(process.env.TASKS_RETENTION_DAYS ?? 30)
    const removed = await this.tasks.prune(days)
    ctx.logger.info({ removed, days }, 'pruned task history')
    return { removed }
  }
}
