import type { Server } from 'node:http'

/*
| Graceful shutdown of the web process. On SIGTERM the server stops accepting connections, but
| keep-alive clients under load would keep theirs busy forever: while draining, every response
| says `Connection: close`, idle connections are closed at once, and whatever is still open after
| the grace period is cut.
*/
let draining = false

export const isDraining = () => draining

export function drain(server: Server, graceMs: number) {
  draining = true
  server.closeIdleConnections()
  const timer = setInterval(() => server.closeIdleConnections(), 100)
  const deadline = setTimeout(() => server.closeAllConnections(), graceMs)
  timer.unref()
  deadline.unref()
  server.once('close', () => {
    clearInterval(timer)
    clearTimeout(deadline)
  })
}
