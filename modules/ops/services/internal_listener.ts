import { createServer, type Server } from 'node:http'
import { once } from 'node:events'
import type { Metrics } from '#ops/services/metrics'
import type { Readiness } from '#ops/services/readiness'
import { liveness } from '#ops/services/liveness'
import { sendJson } from '#app/http/fast_routes'

/*
| METRICS_PORT: a second, internal-only HTTP listener (default 127.0.0.1) with /metrics and the
| health checks, for Prometheus and orchestrators on a private network. It bypasses the app's
| middleware entirely.
*/
export async function startInternalListener(
  metrics: Metrics,
  readiness: Readiness,
  options: { host: string; port: number }
): Promise<Server> {
  const server = createServer(async (req, res) => {
    try {
      if (req.url === '/metrics') {
        const body = await metrics.registry.metrics()
        res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body)
      } else if (req.url === '/health/live') {
        sendJson(req, res, 200, liveness(), { 'cache-control': 'no-store' })
      } else if (req.url === '/health/ready') {
        const report = await readiness.run()
        res
          .writeHead(report.status === 'error' ? 503 : 200, { 'content-type': 'application/json' })
          .end(JSON.stringify(report))
      } else {
        res.writeHead(404).end()
      }
    } catch {
      res.writeHead(500).end()
    }
  })
  server.listen(options.port, options.host)
  await once(server, 'listening')
  return server
}
