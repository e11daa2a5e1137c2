import { rm } from 'node:fs/promises'
import { dirname } from 'node:path'
import { DateTime } from 'luxon'
import { inject } from '@adonisjs/core'
import app from '@adonisjs/core/services/app'
import { QueueService } from '#app/queue/queue'
import { ApiError } from '#app/exceptions/api_error'
import Task, { FINISHED } from '#tasks/models/task'
import { TaskReporter } from '#tasks/services/task_reporter'

/*
| Reading and cancelling tasks. A queued task is removed from its queue at once; a running one
| is flagged, and its job sees the flag within a second (its signal aborts) and stops.
*/
@inject()
export class TasksService {
  constructor(protected queue: QueueService) {}

  forCompany(companyId: number) {
    return Task.query().where('companyId', companyId)
  }

  async findForCompany(companyId: number, id: number) {
    const task = await this.forCompany(companyId).where('id', id).first()
    if (!task) throw ApiError.notFound('Task not found')
    return task
  }

  async cancel(task: Task) {
    if (task.finished) {
      throw ApiError.conflict('E_TASK_FINISHED', `The task has already ${task.status}`)
    }
    const reporter = new TaskReporter(app)
    if (task.status === 'queued' && (await this.queue.discard(task.queue, task.jobId))) {
      task.merge({ status: 'cancelled', message: 'Cancelled', finishedAt: DateTime.now() })
    } else {
      task.merge({ cancelRequestedAt: DateTime.now(), message: 'Cancelling…' })
    }
    task.cancelRequestedAt ??= DateTime.now()
    await task.save()
    await reporter.push(task)
    return task
  }

  /** Deletes finished tasks older than the retention period, with their result files. */
  async prune(retentionDays: number) {
    const cutoff = DateTime.now().minus({ days: retentionDays })
    const old = await Task.query()
      .whereIn('status', FINISHED)
      .where('finishedAt', '<', cutoff.toJSDate())
      .select('id', 'resultFile')
    for (const task of old) {
      if (task.resultFile) await rm(dirname(task.resultFile), { recursive: true, force: true })
    }
    const ids = old.map((task) => task.id)
    for (let i = 0; i < ids.length; i += 500) {
      await Task.query()
        .whereIn('id', ids.slice(i, i + 500))
        .delete()
    }
    return ids.length
  }
}
