import { createHmac, timingSafeEqual } from 'node:crypto'
import { inject } from '@adonisjs/core'
import { ApiError } from '#app/exceptions/api_error'
import { FilesSettings } from '#files/services/files_settings'
import { FilesStorage } from '#files/services/files_storage'
import { contentDisposition } from '#files/services/file_names'

export type FileRow = {
  id: number | string
  uuid: string
  company_id: number
  name: string
  mime: string
  size: number | string
  sha256: string
  storage_key: string
  uploaded_by?: number | null
  disk: string
  status: string
  created_at: number | string
}

/*
| Short-lived download URLs for one file. On S3 they are presigned GETs that set the file's name
| and type; on the local disk they point at /files/:id/download with an expiry and an HMAC of
| (file id, expiry) under the app key, so a link works for that file only and not for long.
*/
@inject()
export class DownloadLinks {
  constructor(
    private settings: FilesSettings,
    private storage: FilesStorage
  ) {}

  async for(file: FileRow) {
    const expiresIn = this.settings.urlTtlSeconds
    const expires = Math.floor(this.settings.now() / 1000) + expiresIn
    const url =
      this.storage.kind === 's3'
        ? await this.storage.presignedDownload(file.storage_key, {
            expiresIn,
            contentType: file.mime,
            contentDisposition: contentDisposition(file.name),
          })
        : `${this.settings.appUrl}/files/${file.id}/download?expires=${expires}&signature=${this.#sign(file.id, expires)}`
    return { url, expiresAt: new Date(expires * 1000).toISOString() }
  }

  /** Checks a local download link; 403 with a stable code when it is forged or expired. */
  verify(fileId: string | number, expires: unknown, signature: unknown) {
    const at = Number(expires)
    const expected = Buffer.from(this.#sign(fileId, at))
    const given = Buffer.from(String(signature ?? ''))
    if (
      !Number.isSafeInteger(at) ||
      expected.length !== given.length ||
      !timingSafeEqual(expected, given)
    )
      throw ApiError.forbidden('This download link is not valid', 'E_INVALID_SIGNATURE')
    if (at * 1000 < this.settings.now())
      throw ApiError.forbidden(
        'This download link has expired: ask for a new one',
        'E_LINK_EXPIRED'
      )
  }

  #sign(fileId: string | number, expires: number) {
    return createHmac('sha256', this.settings.signingKey)
      .update(`file:${fileId}:${expires}`)
      .digest('base64url')
  }
}
