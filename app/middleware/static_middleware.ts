import { inject } from '@adonisjs/core'
import StaticMiddleware from '@adonisjs/static/static_middleware'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { isStateless } from '#app/http/stateless'

/*
| Files from public/, except on the stateless paths (/api, webhooks, probes): no file lives there,
| and the static server would otherwise look one up and wrap the request on every API call.
*/
@inject()
export default class PublicFilesMiddleware {
  constructor(private files: StaticMiddleware) {}

  handle(ctx: HttpContext, next: NextFn) {
    if (isStateless(ctx.request.url())) return next()
    return this.files.handle(ctx, next)
  }
}
