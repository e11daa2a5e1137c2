import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import { listEvents } from '#telemetry/services/event_queries'
import { echoFilters, toEventFilters } from '#telemetry/services/filters'
import { eventFiltersValidator } from '#telemetry/validators/telemetry'

/* /admin/telemetry/events: the logs viewer, filtered, newest first, cursor-paginated. */
export default class EventsController {
  async index({ inertia, request }: HttpContext) {
    const input = await request.validateUsing(eventFiltersValidator, { data: request.qs() })
    const page = await listEvents(toEventFilters(input), {
      limit: input.limit ?? 50,
      cursor: input.cursor,
    })
    const companies = await db.from('companies').orderBy('name').limit(500).select('id', 'name')
    return inertia.render('telemetry/events/index', {
      events: page.data,
      nextCursor: page.nextCursor,
      filters: echoFilters(input),
      cursor: input.cursor ?? '',
      companies: companies.map((c: any) => ({ id: Number(c.id), name: c.name as string })),
    })
  }
}
