import type { HttpContext } from '@adonisjs/core/http'
import { ApiError } from '#app/exceptions/api_error'
import { audit, queueFrom } from '#ops/controllers/admin/queue_admin'

/* POST /admin/system/queues/:queue/jobs/:id/retry — put a failed job back in its queue. */
export default class FailedJobRetriesController {
  async store(ctx: HttpContext) {
    const { queue, name } = await queueFrom(ctx)
    const id = String(ctx.params.id)
    if (!(await queue.driver.retry(name, id))) throw ApiError.notFound('No such failed job')
    await audit(ctx, 'queue.job_retried', name, { job: id })
    ctx.session.flash('success', 'The job is queued again.')
    return ctx.response.redirect().back()
  }
}
