import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { ApiError } from '#app/exceptions/api_error'

/* Platform admins only (runs after `auth`). */
export default class AdminMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    if (!ctx.auth.user?.isAdmin) throw ApiError.forbidden('This area is for platform admins')
    return next()
  }
}
