import type { HttpContext } from '@adonisjs/core/http'
import vine from '@vinejs/vine'
import { audit, queueFrom } from '#ops/controllers/admin/queue_admin'

const cleanValidator = vine.create({
  state: vine.enum(['completed', 'failed'] as const),
  olderThanHours: vine
    .number()
    .min(0)
    .max(24 * 365),
})

/* POST /admin/system/queues/:queue/cleanings — delete finished jobs older than N hours. */
export default class QueueCleaningsController {
  async store(ctx: HttpContext) {
    const { queue, name } = await queueFrom(ctx)
    const { state, olderThanHours } = await ctx.request.validateUsing(cleanValidator)
    const removed = await queue.driver.clean(name, state, olderThanHours * 3_600_000)
    await audit(ctx, 'queue.cleaned', name, { state, olderThanHours, removed })
    ctx.session.flash('success', `Removed ${removed} ${state} job(s) from ${name}.`)
    return ctx.response.redirect().back()
  }
}
