import { type Realtime } from '#app/realtime/realtime'
import { type TelemetrySettings } from '#telemetry/services/telemetry_settings'

/*
| The admin dashboard's live activity: committed events are pushed to the `admins` room as
| `telemetry.events`, at most once per interval and at most `feedSize` of the newest events per
| push, with a count of the ones left out. A flood of events costs one small message a second.
*/
export type FeedItem = {
  id: string
  type: string
  name: string
  level: string | null
  message: string | null
  installationId: string
  companyId: number
  appVersion: string
  platform: string
  timestamp: number
}

export type FeedMessage = { events: FeedItem[]; skipped: number; total: number }

export class LiveFeed {
  #pending: FeedItem[] = []
  #skipped = 0
  #timer?: NodeJS.Timeout
  #lastSent = 0

  constructor(
    private realtime: Realtime,
    private settings: TelemetrySettings
  ) {}

  publish(items: FeedItem[]) {
    if (!items.length) return
    const size = this.settings.feedSize
    this.#pending.push(...items)
    if (this.#pending.length > size) {
      this.#skipped += this.#pending.length - size
      this.#pending = this.#pending.slice(-size)
    }
    if (this.#timer) return
    const wait = Math.max(0, this.#lastSent + this.settings.feedIntervalMs - Date.now())
    this.#timer = setTimeout(() => this.flush(), wait)
    this.#timer.unref()
  }

  flush() {
    clearTimeout(this.#timer)
    this.#timer = undefined
    if (!this.#pending.length) return
    const message: FeedMessage = {
      events: this.#pending,
      skipped: this.#skipped,
      total: this.#pending.length + this.#skipped,
    }
    this.#pending = []
    this.#skipped = 0
    this.#lastSent = Date.now()
    this.realtime.toAdmins().emit('telemetry.events', message)
  }
}
