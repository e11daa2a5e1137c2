import type { HttpContext } from '@adonisjs/core/http'
import modulesConfig from '#config/modules'

/* Admin changes to releases and issues go to the audit log (when the admin module is on). */
export async function auditTelemetry(
  ctx: HttpContext,
  action: string,
  subject: { type: string; id: number; label: string },
  before: Record<string, unknown> | null,
  after: Record<string, unknown>
) {
  if (!modulesConfig.isEnabled('admin')) return
  const { AuditLogService } = await import('#admin/services/audit_log_service')
  await new AuditLogService().record({
    actor: ctx.auth.user!,
    action,
    subject,
    before,
    after,
    ip: ctx.request.ip(),
    requestId: ctx.request.id(),
  })
}
