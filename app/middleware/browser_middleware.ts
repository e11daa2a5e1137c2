import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import SessionMiddleware from '@adonisjs/session/session_middleware'
import ShieldMiddleware from '@adonisjs/shield/shield_middleware'
import { isStateless } from '#app/http/stateless'

/*
| Sessions and Shield (CSRF, CSP, frame and HSTS headers) are for browsers. The public API is
| stateless: bearer tokens, no cookies, so /api requests skip both and only get `nosniff`.
| Shield's middleware holds no per-request state, so one instance is built and reused.
*/
let shield: ShieldMiddleware | undefined

export default class BrowserMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    if (isStateless(ctx.request.url())) {
      ctx.response.header('x-content-type-options', 'nosniff')
      return next()
    }
    const session = await ctx.containerResolver.make(SessionMiddleware)
    shield ??= await ctx.containerResolver.make(ShieldMiddleware)
    return session.handle(ctx, () => shield!.handle(ctx, next))
  }
}
