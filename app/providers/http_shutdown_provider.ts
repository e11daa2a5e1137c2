import type { ApplicationService } from '@adonisjs/core/types'
import { drain } from '#app/http/draining'

/*
| Starts draining HTTP connections as soon as the process is asked to stop. Terminating hooks
| run in reverse order, so this one (registered last) runs before the realtime server and the
| HTTP server are closed.
*/
export default class HttpShutdownProvider {
  constructor(protected app: ApplicationService) {}

  async ready() {
    if (this.app.getEnvironment() !== 'web') return
    const httpServer = await this.app.container.make('server')
    const server = httpServer.getNodeServer()
    if (!server) return
    const graceMs = Number(process.env.SHUTDOWN_GRACE_MS ?? 10_000)
    this.app.terminating(() => drain(server as any, graceMs))
  }
}
