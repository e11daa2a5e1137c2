import { Readable } from 'node:stream'
import type { HttpContext } from '@adonisjs/core/http'
import { csvLine } from '#app/helpers/csv'
import { eachEvent, type EventView } from '#telemetry/services/event_queries'
import { toEventFilters } from '#telemetry/services/filters'
import { eventFiltersValidator, exportFormatValidator } from '#telemetry/validators/telemetry'

/*
| GET /admin/telemetry/events/export?format=csv|jsonl&<filters> — every event the logs viewer
| shows for these filters, newest first, streamed page by page (never all in memory).
*/
const COLUMNS = [
  'event_id',
  'timestamp',
  'received_at',
  'type',
  'level',
  'name',
  'message',
  'installation_id',
  'company_id',
  'app_version',
  'platform',
  'session_id',
  'issue_id',
  'props',
  'stack',
] as const

const cells = (e: EventView) => [
  e.eventId,
  e.timestamp,
  e.receivedAt,
  e.type,
  e.level,
  e.name,
  e.message,
  e.installationId,
  e.companyId,
  e.appVersion,
  e.platform,
  e.sessionId,
  e.issueId,
  e.props,
  e.stack,
]

export default class ExportsController {
  async show({ request, response }: HttpContext) {
    const { format } = await request.validateUsing(exportFormatValidator, { data: request.qs() })
    const input = await request.validateUsing(eventFiltersValidator, { data: request.qs() })
    const filters = toEventFilters(input)
    async function* lines() {
      if (format === 'csv') yield csvLine([...COLUMNS])
      for await (const event of eachEvent(filters)) {
        if (format === 'csv') yield csvLine(cells(event))
        else {
          yield `${JSON.stringify({ ...event, id: undefined })}\n`
        }
      }
    }
    const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')
    response.header(
      'content-type',
      format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8'
    )
    response.attachment(`telemetry-events-${stamp}.${format}`)
    response.stream(Readable.from(lines()))
  }
}
