import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import type { AuthManager } from '@adonisjs/auth'
/* `ctx.auth` is declared with the package's middleware. */
import type {} from '@adonisjs/auth/initialize_auth_middleware'

/*
| Gives every request its authenticator (`ctx.auth`), like the package's middleware, without
| sharing it with Edge: pages are Inertia, and touching `ctx.view` built an Edge renderer (which
| lists the template components on disk) for every request, API calls included.
*/
let manager: AuthManager<any> | undefined

export default class InitializeAuthMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    manager ??= await ctx.containerResolver.make('auth.manager')
    ctx.auth = manager!.createAuthenticator(ctx)
    return next()
  }
}
