import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import { dbIdOr404 } from '#app/helpers/ids'
import { auditTelemetry } from '#telemetry/services/audit'
import { findRelease } from '#telemetry/services/releases'
import { TelemetrySettings } from '#telemetry/services/telemetry_settings'

/*
| POST /admin/telemetry/releases/:id/halt stops a rollout at once (update checks skip it);
| DELETE resumes it. Both audit-logged.
*/
@inject()
export default class HaltsController {
  constructor(private settings: TelemetrySettings) {}

  async store(ctx: HttpContext) {
    return this.#set(ctx, true)
  }

  async destroy(ctx: HttpContext) {
    return this.#set(ctx, false)
  }

  async #set(ctx: HttpContext, halted: boolean) {
    const release = await findRelease(dbIdOr404(ctx.params.id))
    const now = this.settings.now()
    await db
      .from('telemetry_releases')
      .where('id', release.id)
      .update({ halted_at: halted ? now : null, updated_at: now })
    await auditTelemetry(
      ctx,
      halted ? 'telemetry.release_halted' : 'telemetry.release_resumed',
      {
        type: 'telemetry_release',
        id: Number(release.id),
        label: `${release.version} ${release.platform}/${release.channel}`,
      },
      { halted: release.halted_at !== null },
      { halted }
    )
    ctx.session.flash('success', `${release.version} ${halted ? 'halted' : 'resumed'}`)
    return ctx.response.redirect().toRoute('telemetry.releases.index')
  }
}
