import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { isStateless } from '#app/http/stateless'

/* Loads the session user, if any, on every page so the layout can show who is signed in. */
export default class SilentAuthMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    if (!isStateless(ctx.request.url())) await ctx.auth.use('web').check()
    return next()
  }
}
