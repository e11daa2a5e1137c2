import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { dbIdOr404 } from '#app/helpers/ids'
import { auditTelemetry } from '#telemetry/services/audit'
import { setIssueStatus } from '#telemetry/services/issues'
import { TelemetrySettings } from '#telemetry/services/telemetry_settings'
import { issueStatusValidator } from '#telemetry/validators/telemetry'

/* PUT /admin/telemetry/issues/:id/status — resolve, ignore or reopen (audit-logged). */
@inject()
export default class StatusesController {
  constructor(private settings: TelemetrySettings) {}

  async update(ctx: HttpContext) {
    const id = dbIdOr404(ctx.params.id)
    const { status } = await ctx.request.validateUsing(issueStatusValidator)
    const { before, row } = await setIssueStatus(id, status, this.settings.now())
    await auditTelemetry(
      ctx,
      `telemetry.issue_${status}`,
      { type: 'telemetry_issue', id, label: row.name },
      { status: before },
      { status }
    )
    ctx.session.flash('success', `Issue marked ${status}`)
    return ctx.response.redirect().back()
  }
}
