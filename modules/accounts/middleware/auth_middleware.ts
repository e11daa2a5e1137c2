import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import type { Authenticators } from '@adonisjs/auth/types'
import { ApiError } from '#app/exceptions/api_error'
import { SESSION_FINGERPRINT_KEY, sessionFingerprint } from '#accounts/services/session_fingerprint'

/*
| Requires a signed-in user (session for pages, bearer token for the API). A disabled account
| is turned away on its next request, whichever way it authenticates, and a browser session
| opened before a password change or reset is ended.
*/
export default class AuthMiddleware {
  redirectTo = '/login'

  async handle(
    ctx: HttpContext,
    next: NextFn,
    options: { guards?: (keyof Authenticators)[] } = {}
  ) {
    await ctx.auth.authenticateUsing(options.guards, { loginRoute: this.redirectTo })
    const user = ctx.auth.user!
    if (ctx.auth.authenticatedViaGuard !== 'web') {
      if (user.isDisabled)
        throw ApiError.forbidden('This account is disabled', 'E_ACCOUNT_DISABLED')
      return next()
    }
    if (user.isDisabled) return this.#signOut(ctx, 'This account is disabled.')
    const fingerprint = sessionFingerprint(user)
    const remembered = ctx.session.get(SESSION_FINGERPRINT_KEY)
    if (remembered === undefined) ctx.session.put(SESSION_FINGERPRINT_KEY, fingerprint)
    else if (remembered !== fingerprint)
      return this.#signOut(ctx, 'Your password was changed. Please log in again.')
    return next()
  }

  async #signOut(ctx: HttpContext, message: string) {
    await ctx.auth.use('web').logout()
    ctx.session.clear()
    ctx.session.flash('error', message)
    return ctx.response.redirect(this.redirectTo)
  }
}
