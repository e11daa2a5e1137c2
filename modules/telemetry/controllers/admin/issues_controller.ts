import type { HttpContext } from '@adonisjs/core/http'
import { dbIdOr404 } from '#app/helpers/ids'
import { issueCounts, issueDetail, listIssues } from '#telemetry/services/issues'
import { issueListValidator } from '#telemetry/validators/telemetry'

/* /admin/telemetry/issues: errors grouped by fingerprint; one issue with its occurrences. */
export default class IssuesController {
  async index({ inertia, request }: HttpContext) {
    const filters = await request.validateUsing(issueListValidator, { data: request.qs() })
    const status = filters.status ?? 'open'
    const result = await listIssues({ status, q: filters.q }, filters.page ?? 1)
    return inertia.render('telemetry/issues/index', {
      ...result,
      counts: await issueCounts(),
      filters: { status, q: filters.q ?? '' },
    })
  }

  async show({ inertia, params }: HttpContext) {
    return inertia.render('telemetry/issues/show', await issueDetail(dbIdOr404(params.id)))
  }
}
