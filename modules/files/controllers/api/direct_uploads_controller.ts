import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import vine from '@vinejs/vine'
import { DirectUploads } from '#files/services/direct_uploads'
import { presentFile } from '#files/services/files_service'

const startValidator = vine.create({
  name: vine.string().maxLength(1000),
  size: vine.number().withoutDecimals().min(0),
})

/* POST /api/v1/files/direct, then POST /api/v1/files/direct/:id/complete (S3 storage only). */
@inject()
export default class DirectUploadsController {
  constructor(private direct: DirectUploads) {}

  async store(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(startValidator)
    ctx.response.status(201)
    return this.direct.start({ companyId: ctx.tenant.companyId, userId: ctx.auth.user!.id }, input)
  }

  async complete(ctx: HttpContext) {
    const row = await this.direct.complete(
      { companyId: ctx.tenant.companyId, userId: ctx.auth.user!.id },
      ctx.params.id
    )
    return presentFile(row)
  }
}
