import AuditLog from '#admin/models/audit_log'
import type User from '#accounts/models/user'

export type AuditEntry = {
  actor: User | null
  action: string
  subject: { type: string; id: string | number | null; label?: string | null }
  before?: Record<string, unknown> | null
  after?: Record<string, unknown> | null
  ip?: string | null
  requestId?: string | null
}

/* Writes and reads the audit log. Entries are never updated or deleted by the app. */
export class AuditLogService {
  record(entry: AuditEntry) {
    return AuditLog.create({
      actorId: entry.actor?.id ?? null,
      actorEmail: entry.actor?.email ?? null,
      action: entry.action,
      subjectType: entry.subject.type,
      subjectId: entry.subject.id === null ? null : String(entry.subject.id),
      subjectLabel: entry.subject.label ?? null,
      before: entry.before ?? null,
      after: entry.after ?? null,
      ip: entry.ip ?? null,
      requestId: entry.requestId ?? null,
    })
  }

  list(
    filters: { action?: string; subjectType?: string; subjectId?: string; actor?: string },
    page: number,
    perPage = 50
  ) {
    const query = AuditLog.query().orderBy('id', 'desc')
    if (filters.action) query.where('action', filters.action)
    if (filters.subjectType) query.where('subjectType', filters.subjectType)
    if (filters.subjectId) query.where('subjectId', filters.subjectId)
    if (filters.actor)
      query.whereRaw('lower(actor_email) like ?', [`%${filters.actor.toLowerCase()}%`])
    return query.paginate(page, perPage)
  }

  async actions() {
    const rows = await AuditLog.query().distinct('action').orderBy('action')
    return rows.map((row) => row.action)
  }
}
