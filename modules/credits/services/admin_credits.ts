import type { HttpContext } from '@adonisjs/core/http'
import { AuditLogService } from '#admin/services/audit_log_service'
import type Company from '#accounts/models/company'

/* Every admin change to credits is in the audit log, with the reason and the new balance. */
export async function auditCredits(
  ctx: HttpContext,
  company: Company,
  action: 'credits.granted' | 'credits.adjusted',
  after: Record<string, unknown>
) {
  await new AuditLogService().record({
    actor: ctx.auth.user!,
    action,
    subject: { type: 'company', id: company.id, label: company.name },
    after,
    ip: ctx.request.ip(),
    requestId: ctx.request.id(),
  })
}
