import { inject } from '@adonisjs/core'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import modulesConfig from '#config/modules'
import { FilesSettings } from '#files/services/files_settings'

/*
| How much a company may store: its plan's `storageBytes` limit when billing is on and the plan
| sets one, FILES_QUOTA_BYTES otherwise. Deleted files stop counting at once.
*/
@inject()
export class Quotas {
  constructor(private settings: FilesSettings) {}

  async used(companyId: number) {
    const [row] = await db
      .from('files')
      .where({ company_id: companyId, status: 'active' })
      .sum('size as total')
    return Number(row?.total ?? 0)
  }

  async limit(companyId: number) {
    if (!modulesConfig.isEnabled('billing')) return this.settings.quotaBytes
    const { Entitlements } = await import('#billing/services/entitlements')
    const service = await app.container.make(Entitlements)
    const entitlements = await service.of(companyId)
    const planned = (entitlements.limits as Record<string, number>).storageBytes
    return typeof planned === 'number' ? planned : this.settings.quotaBytes
  }

  async of(companyId: number) {
    const [used, limit] = await Promise.all([this.used(companyId), this.limit(companyId)])
    return { used, limit, remaining: Math.max(0, limit - used) }
  }
}
