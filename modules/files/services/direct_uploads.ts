import { randomUUID } from 'node:crypto'
import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import { ApiError } from '#app/exceptions/api_error'
import { insertedId } from '#app/helpers/query_results'
import { isDbId } from '#app/helpers/ids'
import { FilesSettings } from '#files/services/files_settings'
import { FilesStorage } from '#files/services/files_storage'
import { Quotas } from '#files/services/quotas'
import { Uploads, type Uploader } from '#files/services/uploads'
import { sanitizeName } from '#files/services/file_names'

/*
| Browser-to-S3 uploads: the app hands out a presigned PUT for a new key (limit and quota checked
| against the declared size), the browser sends the bytes straight to the bucket, and
| `complete` reads them back through the same meter as any upload (size, sha256, type) before
| the file becomes visible. A pending upload nobody completes is purged like a deleted file.
*/
@inject()
export class DirectUploads {
  constructor(
    private settings: FilesSettings,
    private storage: FilesStorage,
    private quotas: Quotas,
    private uploads: Uploads
  ) {}

  async start(uploader: Uploader, input: { name: string; size: number }) {
    if (this.storage.kind !== 's3')
      throw ApiError.conflict(
        'E_DIRECT_UPLOAD_UNAVAILABLE',
        'Direct uploads need S3 storage: POST /api/v1/files instead'
      )
    if (input.size > this.settings.maxFileBytes)
      throw new ApiError(
        'E_FILE_TOO_LARGE',
        `A file holds at most ${this.settings.maxFileBytes} bytes`,
        { status: 413, field: 'size' }
      )
    const quota = await this.quotas.of(uploader.companyId)
    if (input.size > quota.remaining)
      throw ApiError.invalid('E_QUOTA_EXCEEDED', 'Your company’s storage quota is used up', 'size')
    const uuid = randomUUID()
    const key = `companies/${uploader.companyId}/${uuid}`
    const id = insertedId(
      await db
        .table('files')
        .insert({
          uuid,
          company_id: uploader.companyId,
          uploaded_by: uploader.userId,
          name: sanitizeName(input.name),
          mime: 'application/octet-stream',
          size: input.size,
          sha256: '',
          disk: 's3',
          storage_key: key,
          status: 'pending',
          deleted_at: this.settings.now(),
          created_at: this.settings.now(),
        })
        .returning('id')
    )
    const uploadUrl = await this.storage.presignedUpload(key, {
      expiresIn: 15 * 60,
      contentLength: input.size,
    })
    return {
      fileId: id,
      uploadUrl,
      method: 'PUT',
      expiresAt: new Date(this.settings.now() + 15 * 60_000).toISOString(),
    }
  }

  /* The bytes in the bucket are the truth: they are measured again, not taken from the client. */
  async complete(uploader: Uploader, fileId: unknown) {
    const row = isDbId(Number(fileId))
      ? await db
          .from('files')
          .where({ id: Number(fileId), company_id: uploader.companyId, status: 'pending' })
          .first()
      : null
    if (!row) throw ApiError.notFound('No pending upload with this id')
    if (!(await this.storage.exists(row.storage_key)))
      throw ApiError.conflict('E_UPLOAD_INCOMPLETE', 'The bytes have not arrived in storage yet')
    const quota = await this.quotas.of(uploader.companyId)
    const measured = await this.uploads
      .measure(await this.storage.read(row.storage_key), quota.remaining)
      .catch(async (error) => {
        await this.storage.delete(row.storage_key).catch(() => {})
        await db.from('files').where('id', row.id).delete()
        throw error
      })
    await db
      .from('files')
      .where('id', row.id)
      .update({ ...measured, status: 'active', deleted_at: null })
    return db.from('files').where('id', row.id).first()
  }
}
