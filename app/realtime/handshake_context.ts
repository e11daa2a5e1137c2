import { ServerResponse, type IncomingMessage } from 'node:http'
import { configProvider } from '@adonisjs/core'
import type { ApplicationService } from '@adonisjs/core/types'
import type { HttpContext } from '@adonisjs/core/http'
import { Session } from '@adonisjs/session'
import type { ResolvedSessionConfig } from '@adonisjs/session/types'

/*
| Builds an HttpContext for a Socket.IO handshake so the normal session and auth machinery can
| read it. The session is opened read-only: a handshake has no response to carry cookies, so
| nothing may be written (remember-me rotation stays with regular HTTP requests).
*/
let sessionConfig: ResolvedSessionConfig | null = null

export async function handshakeContext(
  app: ApplicationService,
  req: IncomingMessage
): Promise<HttpContext> {
  const server = await app.container.make('server')
  const res = new ServerResponse(req)
  const ctx = server.createHttpContext(
    server.createRequest(req, res),
    server.createResponse(req, res),
    app.container.createResolver()
  )

  sessionConfig ??= await configProvider.resolve<ResolvedSessionConfig>(
    app,
    app.config.get('session')
  )
  if (sessionConfig?.enabled) {
    ctx.session = new Session(
      sessionConfig,
      sessionConfig.stores[sessionConfig.store],
      await app.container.make('emitter'),
      ctx
    )
    await ctx.session.initiate(true)
  }
  const authManager = await app.container.make('auth.manager')
  ctx.auth = authManager.createAuthenticator(ctx)
  return ctx
}
