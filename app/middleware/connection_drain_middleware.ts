import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { isDraining } from '#app/http/draining'

/* During shutdown, tell keep-alive clients to reconnect (to another replica) after this response. */
export default class ConnectionDrainMiddleware {
  handle(ctx: HttpContext, next: NextFn) {
    if (isDraining()) ctx.response.header('connection', 'close')
    return next()
  }
}
