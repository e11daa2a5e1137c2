import { inject } from '@adonisjs/core'
import limiter from '@adonisjs/limiter/services/main'
import { TelemetrySettings } from '#telemetry/services/telemetry_settings'

/*
| Ingestion rate limits, in batches per minute: one per token (checked before the body is
| read) and one per installation. Over either → 429 E_TOO_MANY_REQUESTS with Retry-After.
*/
@inject()
export class IngestLimits {
  constructor(private settings: TelemetrySettings) {}

  async consumeToken(tokenId: string | number) {
    await limiter
      .use({ requests: this.settings.perTokenPerMinute, duration: '1 min' })
      .consume(`telemetry:token:${tokenId}`)
  }

  async consumeInstallation(installationId: string) {
    await limiter
      .use({ requests: this.settings.perInstallationPerMinute, duration: '1 min' })
      .consume(`telemetry:installation:${installationId}`)
  }
}
