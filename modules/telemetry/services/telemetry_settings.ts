import env from '#start/env'

/*
| The module's knobs, read once from the environment. Bound in the container so tests can swap
| a copy with small limits or a fixed clock.
*/
export class TelemetrySettings {
  /** Batches per minute one installation may send. */
  perInstallationPerMinute = env.get('TELEMETRY_RATE_PER_INSTALLATION', 120)
  /** Batches per minute one token may send (a token embedded in a build serves many installations). */
  perTokenPerMinute = env.get('TELEMETRY_RATE_PER_TOKEN', 6000)
  /** Raw events older than this many days are deleted by `telemetry:prune` (rollups stay). */
  retentionDays = env.get('TELEMETRY_RETENTION_DAYS', 90)
  /** Admin live feed: at most one push per this many ms, with at most `feedSize` events. */
  feedIntervalMs = env.get('TELEMETRY_FEED_INTERVAL_MS', 1000)
  feedSize = 50

  now() {
    return Date.now()
  }
}
