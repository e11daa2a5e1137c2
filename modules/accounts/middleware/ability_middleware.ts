import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { ApiError } from '#app/exceptions/api_error'

/* `middleware.ability({ ability: 'credits:write' })`: the bearer token must allow it. */
export default class AbilityMiddleware {
  async handle(ctx: HttpContext, next: NextFn, options: { ability: string }) {
    const token = ctx.auth.user?.currentAccessToken
    if (!token || !token.allows(options.ability)) {
      throw ApiError.forbidden(
        `This token lacks the "${options.ability}" ability`,
        'E_MISSING_ABILITY'
      )
    }
    return next()
  }
}
