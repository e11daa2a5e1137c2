import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import { ApiError } from '#app/exceptions/api_error'
import { isDbId } from '#app/helpers/ids'
import { paginateByCursor } from '#app/helpers/cursor'
import { FilesSettings } from '#files/services/files_settings'
import { DownloadLinks, type FileRow } from '#files/services/download_links'

export function presentFile(row: FileRow) {
  return {
    id: Number(row.id),
    name: row.name,
    size: Number(row.size),
    mime: row.mime,
    sha256: row.sha256,
    createdAt: new Date(Number(row.created_at)).toISOString(),
  }
}
export type FileView = ReturnType<typeof presentFile>

/*
| A company's files: listing by cursor, one file with a download link, soft deletion. Every
| lookup is scoped by company, so another company's file is a plain 404.
*/
@inject()
export class FilesService {
  constructor(
    private settings: FilesSettings,
    private links: DownloadLinks
  ) {}

  async list(companyId: number, options: { cursor?: string; limit?: number }) {
    const page = await paginateByCursor(
      db.from('files').where({ company_id: companyId, status: 'active' }),
      { limit: options.limit ?? 50, cursor: options.cursor, newestFirst: true }
    )
    return { data: page.rows.map(presentFile), nextCursor: page.nextCursor }
  }

  async find(companyId: number, fileId: unknown): Promise<FileRow> {
    const row = isDbId(Number(fileId))
      ? await db
          .from('files')
          .where({ id: Number(fileId), company_id: companyId, status: 'active' })
          .first()
      : null
    if (!row) throw ApiError.notFound('File not found')
    return row
  }

  async show(companyId: number, fileId: unknown) {
    const row = await this.find(companyId, fileId)
    return { ...presentFile(row), download: await this.links.for(row) }
  }

  /**
   * Hidden at once; the bytes go when `files:prune` runs after FILES_PURGE_AFTER_DAYS. Whoever
   * uploaded a file may delete it, and owners and admins any file (`files:manage`).
   */
  async remove(companyId: number, fileId: unknown, actor: { userId: number; canManage: boolean }) {
    const row = await this.find(companyId, fileId)
    if (!actor.canManage && Number(row.uploaded_by) !== actor.userId)
      throw ApiError.forbidden('Only who uploaded a file, owners and admins may delete it')
    await db
      .from('files')
      .where('id', row.id)
      .update({ status: 'deleted', deleted_at: this.settings.now() })
  }
}
