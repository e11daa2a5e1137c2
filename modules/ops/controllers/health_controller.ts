import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { Readiness } from '#ops/services/readiness'
import { liveness } from '#ops/services/liveness'

/*
| GET /health/live — the process answers (no dependencies touched). The web server answers it
|   before the framework (see OpsProvider); this route gives the same answer elsewhere.
| GET /health/ready — database, migrations, Redis, disk and queue; 503 when any check fails.
*/

@inject()
export default class HealthController {
  constructor(private readiness: Readiness) {}

  live({ response }: HttpContext) {
    response.header('cache-control', 'no-store')
    return liveness()
  }

  async ready({ response }: HttpContext) {
    const report = await this.readiness.run()
    response.header('cache-control', 'no-store')
    response.status(report.status === 'error' ? 503 : 200)
    return report
  }
}
