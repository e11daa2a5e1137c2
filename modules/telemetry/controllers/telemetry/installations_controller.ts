import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { ApiError } from '#app/exceptions/api_error'
import {
  dailySeries,
  recentInstallations,
  statCards,
  versionAdoption,
} from '#telemetry/services/dashboard'
import { TelemetrySettings } from '#telemetry/services/telemetry_settings'

/*
| /companies/:companyId/telemetry — the company's own desktop installations and their usage
| (owners and company admins; never another company's data).
*/
@inject()
export default class InstallationsController {
  constructor(private settings: TelemetrySettings) {}

  async index({ inertia, tenant }: HttpContext) {
    if (!tenant.can('telemetry:view'))
      throw ApiError.forbidden('Only owners and admins of the company see its installations')
    const now = this.settings.now()
    const companyId = tenant.companyId
    return inertia.render('telemetry/installations/index', {
      stats: await statCards(now, companyId),
      series: await dailySeries(now, 30, companyId),
      versions: await versionAdoption(now, companyId),
      installations: await recentInstallations({ companyId, limit: 100 }),
    })
  }
}
