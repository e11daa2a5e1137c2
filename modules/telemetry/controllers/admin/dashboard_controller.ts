import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import {
  dailySeries,
  recentInstallations,
  statCards,
  versionAdoption,
} from '#telemetry/services/dashboard'
import { issueCounts, listIssues } from '#telemetry/services/issues'
import { TelemetrySettings } from '#telemetry/services/telemetry_settings'

/* /admin/telemetry: stat cards, charts, the live feed, top open issues, latest installations. */
@inject()
export default class DashboardController {
  constructor(private settings: TelemetrySettings) {}

  async index({ inertia }: HttpContext) {
    const now = this.settings.now()
    const issues = await listIssues({ status: 'open' }, 1)
    return inertia.render('telemetry/admin/dashboard', {
      stats: await statCards(now),
      series: await dailySeries(now, 30),
      versions: await versionAdoption(now),
      issues: issues.data.slice(0, 5),
      issueCounts: await issueCounts(),
      installations: await recentInstallations({ limit: 10 }),
    })
  }
}
