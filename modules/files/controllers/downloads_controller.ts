import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import { ApiError } from '#app/exceptions/api_error'
import { isDbId } from '#app/helpers/ids'
import { DownloadLinks } from '#files/services/download_links'
import { FilesStorage } from '#files/services/files_storage'
import { contentDisposition } from '#files/services/file_names'

/*
| GET /files/:id/download?expires=&signature=: a signed link (local disk) streams the bytes as an
| attachment under the file's name and detected type; nothing in the browser sniffs or renders it.
*/
@inject()
export default class DownloadsController {
  constructor(
    private links: DownloadLinks,
    private storage: FilesStorage
  ) {}

  async show({ params, request, response }: HttpContext) {
    if (!isDbId(Number(params.id))) throw ApiError.notFound('File not found')
    this.links.verify(params.id, request.qs().expires, request.qs().signature)
    const row = await db
      .from('files')
      .where({ id: Number(params.id), status: 'active' })
      .first()
    if (!row) throw ApiError.notFound('File not found')
    response.header('content-type', row.mime)
    response.header('content-length', String(row.size))
    response.header('content-disposition', contentDisposition(row.name))
    response.header('x-content-type-options', 'nosniff')
    response.header('cache-control', 'private, no-store')
    response.stream(await this.storage.read(row.storage_key))
  }
}
