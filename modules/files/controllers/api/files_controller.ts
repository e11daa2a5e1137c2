import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { FilesService, presentFile } from '#files/services/files_service'
import { Uploads } from '#files/services/uploads'
import { listFilesValidator } from '#files/validators/file'

/* /api/v1/files (files:read / files:write): the token's company's files. */
@inject()
export default class FilesController {
  constructor(
    private files: FilesService,
    private uploads: Uploads
  ) {}

  async index(ctx: HttpContext) {
    const query = await ctx.request.validateUsing(listFilesValidator, { data: ctx.request.qs() })
    return this.files.list(ctx.tenant.companyId, query)
  }

  /* Multipart, one part named `file`; streamed to storage (this route reads its own body). */
  async store(ctx: HttpContext) {
    const row = await this.uploads.receive(
      { companyId: ctx.tenant.companyId, userId: ctx.auth.user!.id },
      ctx.request.request
    )
    ctx.response.status(201)
    return presentFile(row)
  }

  async show(ctx: HttpContext) {
    return this.files.show(ctx.tenant.companyId, ctx.params.id)
  }

  async destroy(ctx: HttpContext) {
    await this.files.remove(ctx.tenant.companyId, ctx.params.id, {
      userId: ctx.auth.user!.id,
      canManage: ctx.tenant.can('files:manage'),
    })
    return ctx.response.noContent()
  }
}
