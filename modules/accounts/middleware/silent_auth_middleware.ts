import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

/* Loads the session user, if any, on every page so the layout can show who is signed in. */
export default class SilentAuthMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    if (!ctx.request.url().startsWith('/api/')) await ctx.auth.use('web').check()
    return next()
  }
}
