import type { Server } from 'node:http'
import type { HttpContext } from '@adonisjs/core/http'
import { ModuleProvider, type NavigationEntry } from '#app/modules/module_provider'
import modulesConfig from '#config/modules'
import { Metrics } from '#ops/services/metrics'
import { Readiness } from '#ops/services/readiness'
import { startInternalListener } from '#ops/services/internal_listener'
import { liveness } from '#ops/services/liveness'
import { fastRoute, sendJson } from '#app/http/fast_routes'

/*
| Operations: health checks, Prometheus metrics (and one access-log line per request, with its
| request id) and the admin System page.
*/
const isAdmin = (ctx: HttpContext) => Boolean(ctx.auth.user?.isAdmin)

export default class OpsProvider extends ModuleProvider {
  routes = () => import('#ops/routes')
  #internal: Server | null = null

  navigation = (
    [
      {
        section: 'admin' as const,
        label: 'System',
        route: 'ops.system.show',
        icon: 'activity',
        order: 40,
        visible: isAdmin,
      },
    ] as NavigationEntry[]
  ).filter((entry) => entry.section !== 'admin' || modulesConfig.isEnabled('admin'))

  register() {
    /* Probes skip the framework: no middleware, access log or request metrics. */
    fastRoute('/health/live', (request, response) =>
      sendJson(request, response, 200, liveness(), { 'cache-control': 'no-store' })
    )
    this.app.container.singleton(Metrics, () => new Metrics(this.app))
    this.app.container.singleton(Readiness, () => new Readiness(this.app))
  }

  async boot() {
    if (!['web', 'test'].includes(this.app.getEnvironment())) return
    const metrics = await this.app.container.make(Metrics)
    const emitter = await this.app.container.make('emitter')
    emitter.on('http:request_completed', ({ ctx, duration }) => {
      metrics.observeRequest(ctx, duration)
      ctx.logger.info(
        {
          method: ctx.request.method(),
          url: ctx.request.url(),
          route: ctx.route?.pattern,
          status: ctx.response.getStatus(),
          duration_ms: Math.round((duration[0] * 1e3 + duration[1] / 1e6) * 10) / 10,
        },
        'request completed'
      )
    })
  }

  async ready() {
    const port = Number(process.env.METRICS_PORT)
    if (this.app.getEnvironment() !== 'web' || !port) return
    const host = process.env.METRICS_HOST || '127.0.0.1'
    const metrics = await this.app.container.make(Metrics)
    const readiness = await this.app.container.make(Readiness)
    this.#internal = await startInternalListener(metrics, readiness, { host, port })
  }

  async shutdown() {
    this.#internal?.close()
    this.#internal?.closeAllConnections()
  }
}
