import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { checkBatch, LIMITS } from '#telemetry/services/batch'
import { readBatchBody } from '#telemetry/services/batch_body'
import { IngestLimits } from '#telemetry/services/ingest_limits'
import { TelemetryIngest } from '#telemetry/services/ingest'
import { TelemetrySettings } from '#telemetry/services/telemetry_settings'

/*
| POST /api/v1/telemetry/batch (telemetry:write): 202 { accepted, duplicates, rejected } once the
| accepted events are committed. The body may be gzip; its limits are in services/batch.ts.
*/
@inject()
export default class BatchesController {
  constructor(
    private ingest: TelemetryIngest,
    private limits: IngestLimits,
    private settings: TelemetrySettings
  ) {}

  async store(ctx: HttpContext) {
    const user = ctx.auth.getUserOrFail()
    const token = user.currentAccessToken!
    await this.limits.consumeToken(String(token.identifier))
    const body = await readBatchBody(ctx.request.request, LIMITS.bytes)
    const batch = checkBatch(body, this.settings.now())
    await this.limits.consumeInstallation(batch.envelope.installationId)
    /* A token made only for telemetry is baked into builds: its owner is not the one using it. */
    const ingestOnly = token.abilities.length === 1 && token.abilities[0] === 'telemetry:write'
    const result = await this.ingest.ingest(
      { companyId: ctx.tenant.companyId, userId: ingestOnly ? null : user.id },
      batch
    )
    ctx.response.status(202)
    return result
  }
}
