import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { FilesService, presentFile } from '#files/services/files_service'
import { DownloadLinks } from '#files/services/download_links'
import { Quotas } from '#files/services/quotas'
import { Uploads } from '#files/services/uploads'
import { listFilesValidator } from '#files/validators/file'
import { FilesStorage } from '#files/services/files_storage'

/* The company's files page: drag-and-drop uploads with progress, the list, downloads. */
@inject()
export default class FilesController {
  constructor(
    private files: FilesService,
    private uploads: Uploads,
    private quotas: Quotas,
    private links: DownloadLinks,
    private storage: FilesStorage
  ) {}

  async index(ctx: HttpContext) {
    const query = await ctx.request.validateUsing(listFilesValidator, { data: ctx.request.qs() })
    return ctx.inertia.render('files/files/index', {
      companyId: ctx.tenant.companyId,
      files: await this.files.list(ctx.tenant.companyId, { ...query, limit: query.limit ?? 100 }),
      quota: await this.quotas.of(ctx.tenant.companyId),
      /* On S3 the browser sends the bytes straight to the bucket. */
      direct: this.storage.kind === 's3',
    })
  }

  /* XHR from the page (progress events need it): JSON back, not a redirect. */
  async store(ctx: HttpContext) {
    const row = await this.uploads.receive(
      { companyId: ctx.tenant.companyId, userId: ctx.auth.user!.id },
      ctx.request.request
    )
    ctx.response.status(201)
    return presentFile(row)
  }

  /* A fresh short-lived link each time, so a page left open never hands out a stale one. */
  async download(ctx: HttpContext) {
    const row = await this.files.find(ctx.tenant.companyId, ctx.params.id)
    const { url } = await this.links.for(row)
    return ctx.response.redirect(url)
  }

  async destroy(ctx: HttpContext) {
    await this.files.remove(ctx.tenant.companyId, ctx.params.id, {
      userId: ctx.auth.user!.id,
      canManage: ctx.tenant.can('files:manage'),
    })
    ctx.session.flash('success', 'File deleted')
    return ctx.response.redirect().back()
  }
}
