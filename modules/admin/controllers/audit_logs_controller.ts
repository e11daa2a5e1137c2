import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import vine from '@vinejs/vine'
import { AuditLogService } from '#admin/services/audit_log_service'

const filtersValidator = vine.create({
  action: vine.string().trim().maxLength(64).optional(),
  actor: vine.string().trim().maxLength(120).optional(),
  page: vine.number().withoutDecimals().min(1).optional(),
})

@inject()
export default class AuditLogsController {
  constructor(private audit: AuditLogService) {}

  async index({ inertia, request }: HttpContext) {
    const { page, ...filters } = await request.validateUsing(filtersValidator, {
      data: request.qs(),
    })
    const result = await this.audit.list(filters, page ?? 1)
    return inertia.render('admin/audit_logs/index', {
      filters: { action: filters.action ?? '', actor: filters.actor ?? '' },
      actions: await this.audit.actions(),
      entries: result.all().map((entry) => ({
        id: entry.id,
        actor: entry.actorEmail,
        action: entry.action,
        subject: { type: entry.subjectType, id: entry.subjectId, label: entry.subjectLabel },
        before: entry.before,
        after: entry.after,
        ip: entry.ip,
        requestId: entry.requestId,
        createdAt: entry.createdAt.toISO(),
      })),
      meta: result.getMeta(),
    })
  }
}
