import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { Readiness } from '#ops/services/readiness'

/*
| GET /health/live — the process answers (no dependencies touched).
| GET /health/ready — database, migrations, Redis, disk and queue; 503 when any check fails.
*/
const started = Date.now()

@inject()
export default class HealthController {
  constructor(private readiness: Readiness) {}

  live({ response }: HttpContext) {
    response.header('cache-control', 'no-store')
    return { status: 'ok', uptimeSeconds: Math.round((Date.now() - started) / 1000) }
  }

  async ready({ response }: HttpContext) {
    const report = await this.readiness.run()
    response.header('cache-control', 'no-store')
    response.status(report.status === 'error' ? 503 : 200)
    return report
  }
}
