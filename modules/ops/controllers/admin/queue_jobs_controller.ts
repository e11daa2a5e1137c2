import type { HttpContext } from '@adonisjs/core/http'
import { ApiError } from '#app/exceptions/api_error'
import { audit, queueFrom } from '#ops/controllers/admin/queue_admin'

/* DELETE /admin/system/queues/:queue/jobs/:id — remove a job that is not running. */
export default class QueueJobsController {
  async destroy(ctx: HttpContext) {
    const { queue, name } = await queueFrom(ctx)
    const id = String(ctx.params.id)
    if (!(await queue.driver.remove(name, id))) {
      throw ApiError.notFound('No such job, or it is running')
    }
    await audit(ctx, 'queue.job_removed', name, { job: id })
    ctx.session.flash('success', 'The job was removed.')
    return ctx.response.redirect().back()
  }
}
