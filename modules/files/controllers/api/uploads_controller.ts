import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { Resumable } from '#files/services/resumable'

/* /api/v1/files/uploads[/:id] (files:write): the tus endpoints, answered by @tus/server. */
@inject()
export default class UploadsController {
  constructor(private resumable: Resumable) {}

  async handle(ctx: HttpContext) {
    await this.resumable.handle(
      { companyId: ctx.tenant.companyId, userId: ctx.auth.user!.id },
      ctx.request.request,
      ctx.response.response
    )
  }
}
