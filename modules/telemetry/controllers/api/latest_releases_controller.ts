import type { HttpContext } from '@adonisjs/core/http'
import { latestFor, presentRelease } from '#telemetry/services/releases'
import { latestReleaseValidator } from '#telemetry/validators/telemetry'

/*
| GET /api/v1/releases/latest?platform=&channel=&current=&installationId= — public: 200 with the
| release to install, or 204 when up to date or outside every rollout that is newer.
*/
export default class LatestReleasesController {
  async show({ request, response }: HttpContext) {
    const query = await request.validateUsing(latestReleaseValidator, { data: request.qs() })
    const release = await latestFor({
      platform: query.platform,
      channel: query.channel ?? 'stable',
      current: query.current ?? null,
      installationId:
        query.installationId?.toLowerCase() ?? request.header('x-installation-id') ?? null,
    })
    response.header('cache-control', 'no-store')
    if (!release) return response.noContent()
    return { ...presentRelease(release), halted: undefined }
  }
}
