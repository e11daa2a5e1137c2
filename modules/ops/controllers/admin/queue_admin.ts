import type { HttpContext } from '@adonisjs/core/http'
import app from '@adonisjs/core/services/app'
import { ApiError } from '#app/exceptions/api_error'
import { AuditLogService } from '#admin/services/audit_log_service'

/* Shared by the System page's queue actions: resolve the queue and audit what the admin did. */
export async function queueFrom(ctx: HttpContext) {
  const queue = await app.container.make('queue')
  const name = String(ctx.params.queue)
  if (!queue.registry.queues().includes(name)) throw ApiError.notFound('No such queue')
  return { queue, name }
}

export async function audit(ctx: HttpContext, action: string, subject: string, after: object) {
  await new AuditLogService().record({
    actor: ctx.auth.user!,
    action,
    subject: { type: 'queue', id: subject, label: subject },
    after: after as Record<string, unknown>,
    ip: ctx.request.ip(),
    requestId: ctx.request.id(),
  })
}
