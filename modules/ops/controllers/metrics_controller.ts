import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { ApiError } from '#app/exceptions/api_error'
import { Metrics } from '#ops/services/metrics'
import { metricsTokenAccepted } from '#ops/services/metrics_access'

/* GET /metrics — Prometheus text format, for holders of METRICS_TOKEN. */
@inject()
export default class MetricsController {
  constructor(private metrics: Metrics) {}

  async show({ request, response }: HttpContext) {
    if (!process.env.METRICS_TOKEN) throw ApiError.notFound()
    if (!metricsTokenAccepted(request.header('authorization'))) {
      response.header('www-authenticate', 'Bearer realm="metrics"')
      throw new ApiError('E_UNAUTHORIZED_ACCESS', 'A valid metrics token is required', {
        status: 401,
      })
    }
    response.header('content-type', this.metrics.registry.contentType)
    response.header('cache-control', 'no-store')
    return this.metrics.registry.metrics()
  }
}
