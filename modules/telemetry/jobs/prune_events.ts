import { inject } from '@adonisjs/core'
import { Job } from '#app/queue/job'
import { pruneEvents } from '#telemetry/services/prune'
import { TelemetrySettings } from '#telemetry/services/telemetry_settings'

/* Nightly: raw events older than TELEMETRY_RETENTION_DAYS go (rollups and issues stay). */
@inject()
export default class PruneEvents extends Job {
  static schedule = '17 3 * * *'

  constructor(private settings: TelemetrySettings) {
    super()
  }

  async handle() {
    const olderThan = this.settings.now() - this.settings.retentionDays * 86_400_000
    return pruneEvents({ olderThan })
  }
}
