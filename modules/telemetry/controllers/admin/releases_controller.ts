import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import { ApiError } from '#app/exceptions/api_error'
import { dbIdOr404 } from '#app/helpers/ids'
import { insertedId } from '#app/helpers/query_results'
import { auditTelemetry } from '#telemetry/services/audit'
import {
  findRelease,
  presentRelease,
  releaseHealth,
  type ReleaseRow,
} from '#telemetry/services/releases'
import { compareVersions } from '#telemetry/services/versions'
import { TelemetrySettings } from '#telemetry/services/telemetry_settings'
import { storeReleaseValidator, updateReleaseValidator } from '#telemetry/validators/telemetry'

/* /admin/telemetry/releases: publish, change the rollout, see adoption and crash-free rate. */
@inject()
export default class ReleasesController {
  constructor(private settings: TelemetrySettings) {}

  async index({ inertia }: HttpContext) {
    const now = this.settings.now()
    const rows: ReleaseRow[] = await db.from('telemetry_releases')
    rows.sort(
      (a, b) =>
        a.platform.localeCompare(b.platform) ||
        a.channel.localeCompare(b.channel) ||
        compareVersions(b.version, a.version)
    )
    const releases = await Promise.all(
      rows.map(async (row) => ({ ...presentRelease(row), health: await releaseHealth(row, now) }))
    )
    return inertia.render('telemetry/releases/index', { releases })
  }

  async store(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(storeReleaseValidator)
    const exists = await db
      .from('telemetry_releases')
      .where({ platform: input.platform, channel: input.channel, version: input.version })
      .first()
    if (exists)
      throw ApiError.invalid(
        'E_RELEASE_EXISTS',
        `${input.version} is already published for ${input.platform} (${input.channel})`,
        'version'
      )
    const now = this.settings.now()
    const inserted = await db
      .table('telemetry_releases')
      .returning('id')
      .insert({
        version: input.version,
        channel: input.channel,
        platform: input.platform,
        download_url: input.downloadUrl,
        sha256: input.sha256,
        notes: input.notes ?? null,
        rollout_percentage: input.rolloutPercentage,
        published_by_user_id: ctx.auth.user!.id,
        published_at: now,
        updated_at: now,
      })
    const releaseId = insertedId(inserted)
    await auditTelemetry(ctx, 'telemetry.release_published', subject(releaseId, input), null, input)
    ctx.session.flash(
      'success',
      `Published ${input.version} for ${input.platform} (${input.channel})`
    )
    return ctx.response.redirect().toRoute('telemetry.releases.index')
  }

  async update(ctx: HttpContext) {
    const release = await findRelease(dbIdOr404(ctx.params.id))
    const input = await ctx.request.validateUsing(updateReleaseValidator)
    await db
      .from('telemetry_releases')
      .where('id', release.id)
      .update({
        rollout_percentage: input.rolloutPercentage,
        notes: input.notes ?? release.notes,
        updated_at: this.settings.now(),
      })
    await auditTelemetry(
      ctx,
      'telemetry.release_updated',
      subject(release.id, release),
      { rolloutPercentage: Number(release.rollout_percentage) },
      { rolloutPercentage: input.rolloutPercentage }
    )
    ctx.session.flash('success', `${release.version} now rolls out to ${input.rolloutPercentage}%`)
    return ctx.response.redirect().toRoute('telemetry.releases.index')
  }
}

export const subject = (id: number, r: { version: string; platform: string; channel: string }) => ({
  type: 'telemetry_release',
  id: Number(id),
  label: `${r.version} ${r.platform}/${r.channel}`,
})
