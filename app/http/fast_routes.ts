import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { isDraining } from '#app/http/draining'

/*
| Requests answered before the framework sees them. Liveness probes arrive every few seconds
| from Docker, load balancers and the deploy command; they must stay cheap and must not fill the
| logs, so they skip the middleware, the session, the access log and the request metrics. A
| module registers one from its provider (ops: GET /health/live) and keeps a normal route with
| the same answer for route listings and servers created elsewhere.
|
| Only GET and HEAD, matched on the exact path (the query string is ignored).
*/
export type FastHandler = (request: IncomingMessage, response: ServerResponse) => void

const routes = new Map<string, FastHandler>()

export function fastRoute(path: string, handler: FastHandler) {
  routes.set(path, handler)
}

type Handler = (request: IncomingMessage, response: ServerResponse) => unknown

export function withFastRoutes(handler: Handler): Handler {
  return (request, response) => {
    if (routes.size && (request.method === 'GET' || request.method === 'HEAD')) {
      const url = request.url ?? '/'
      const query = url.indexOf('?')
      const fast = routes.get(query === -1 ? url : url.slice(0, query))
      if (fast) {
        /* Like every response while the process drains (app/http/draining.ts). */
        if (isDraining()) response.setHeader('connection', 'close')
        return fast(request, response)
      }
    }
    return handler(request, response)
  }
}

/* The node:http server of the web process and of the test suites. */
export function createAppServer(handler: Handler) {
  return createServer(withFastRoutes(handler))
}

/* A JSON answer without the framework (HEAD: headers only). */
export function sendJson(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {}
) {
  const json = JSON.stringify(body)
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(json),
    ...headers,
  })
  response.end(request.method === 'HEAD' ? undefined : json)
}
