import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import type { Authenticators } from '@adonisjs/auth/types'
import { ApiError } from '#app/exceptions/api_error'

/*
| Requires a signed-in user (session for pages, bearer token for the API). A disabled account
| is turned away on its next request, whichever way it authenticates.
*/
export default class AuthMiddleware {
  redirectTo = '/login'

  async handle(
    ctx: HttpContext,
    next: NextFn,
    options: { guards?: (keyof Authenticators)[] } = {}
  ) {
    await ctx.auth.authenticateUsing(options.guards, { loginRoute: this.redirectTo })
    if (ctx.auth.user!.isDisabled) {
      if (ctx.auth.authenticatedViaGuard === 'web') {
        await ctx.auth.use('web').logout()
        ctx.session.flash('error', 'This account is disabled.')
        return ctx.response.redirect(this.redirectTo)
      }
      throw ApiError.forbidden('This account is disabled', 'E_ACCOUNT_DISABLED')
    }
    return next()
  }
}
