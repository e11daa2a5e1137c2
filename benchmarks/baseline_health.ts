/*
| The baseline for the `/health/live` part of `npm run bench`: bare node:http answering what
| Tandem's HealthController#live answers — `{"status":"ok","uptimeSeconds":…}` with
| `cache-control: no-store` — and a 404 for anything else. No router, middleware or logging.
|
| Env: PORT (0 = any free port). Prints `listening <port>` once ready.
*/
import { createServer } from 'node:http'

const started = Date.now()

const server = createServer((request, response) => {
  if (request.method === 'GET' && request.url === '/health/live') {
    const body = JSON.stringify({
      status: 'ok',
      uptimeSeconds: Math.round((Date.now() - started) / 1000),
    })
    response.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      'cache-control': 'no-store',
    })
    return response.end(body)
  }
  response.writeHead(404, { 'content-type': 'application/json; charset=utf-8' })
  response.end(JSON.stringify({ errors: [{ code: 'E_ROUTE_NOT_FOUND', message: 'Not found' }] }))
})

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address()
  console.log(`listening ${typeof address === 'object' && address ? address.port : ''}`)
})

function stop() {
  server.close(() => process.exit(0))
  server.closeAllConnections()
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
