import type { ApplicationService } from '@adonisjs/core/types'
import { Realtime } from '#app/realtime/realtime'
import { redisEnabled } from '#config/redis'

/*
| Attaches Socket.IO to the HTTP server once it listens. Tests start their own server and call
| `realtime.attach()` themselves (see tests/bootstrap.ts).
*/
export default class RealtimeProvider {
  constructor(protected app: ApplicationService) {}

  async ready() {
    const httpServer = await this.app.container.make('server')
    const server = httpServer.getNodeServer()
    if (!server || this.app.getEnvironment() !== 'web') return
    const realtime = await this.app.container.make(Realtime)
    await realtime.attach(server as any, { redis: redisEnabled })
    /* Registered after the server's own close hook, so it runs first: open sockets would keep the server from closing. */
    this.app.terminating(() => realtime.close())
  }
}
