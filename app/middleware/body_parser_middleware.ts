import { inject } from '@adonisjs/core'
import BodyParserMiddleware from '@adonisjs/core/bodyparser_middleware'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { ownsBody } from '#app/http/own_body'

/* The framework's body parser, except for routes that read their own body (app/http/own_body.ts). */
@inject()
export default class BodyMiddleware {
  constructor(private parser: BodyParserMiddleware) {}

  handle(ctx: HttpContext, next: NextFn) {
    if (ownsBody(ctx)) return next()
    return this.parser.handle(ctx, next)
  }
}
