import type { IncomingMessage } from 'node:http'
import { Transform, Writable, type TransformCallback, type Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createHash, randomUUID } from 'node:crypto'
import { inject } from '@adonisjs/core'
import busboy from 'busboy'
import db from '@adonisjs/lucid/services/db'
import { ApiError } from '#app/exceptions/api_error'
import { insertedId } from '#app/helpers/query_results'
import { FilesSettings } from '#files/services/files_settings'
import { FilesStorage } from '#files/services/files_storage'
import { Quotas } from '#files/services/quotas'
import { sanitizeName } from '#files/services/file_names'
import { detectMime, SNIFF_BYTES } from '#files/services/content_type'

export type Uploader = { companyId: number; userId: number | null }

/*
| Multipart uploads stream from the request to storage through a meter that hashes, counts and
| keeps the first bytes for type detection; nothing is buffered. Past the file limit (413
| E_FILE_TOO_LARGE) or the company's remaining quota (422 E_QUOTA_EXCEEDED) the stream is cut
| and the partial object removed, and no row is written.
*/
@inject()
export class Uploads {
  constructor(
    private settings: FilesSettings,
    private storage: FilesStorage,
    private quotas: Quotas
  ) {}

  async receive(uploader: Uploader, request: IncomingMessage) {
    const quota = await this.quotas.of(uploader.companyId)
    const declared = Number(request.headers['content-length'] ?? 0)
    if (declared > this.settings.maxFileBytes + 64 * 1024) throw this.#tooLarge()
    const part = await firstFile(request)
    try {
      return await this.store(uploader, part.stream, part.filename, quota.remaining)
    } finally {
      request.resume()
    }
  }

  /** Stores a stream as a company file (also used by resumable uploads once complete). */
  async store(
    uploader: Uploader,
    stream: Readable,
    filename: string | undefined,
    remaining: number
  ) {
    const uuid = randomUUID()
    const key = `companies/${uploader.companyId}/${uuid}`
    const meter = new Meter(
      this.settings.maxFileBytes,
      remaining,
      () => this.#tooLarge(),
      () => quotaExceeded()
    )
    stream.on('error', (error) => meter.destroy(error))
    /* Its failure is reported through `meter.failure`; S3's uploader may not listen yet when it fails. */
    meter.on('error', () => {})
    try {
      await this.storage.write(key, stream.pipe(meter))
    } catch (error) {
      await this.storage.delete(key).catch(() => {})
      throw meter.failure ?? error
    }
    const now = this.settings.now()
    const row = {
      uuid,
      company_id: uploader.companyId,
      uploaded_by: uploader.userId,
      name: sanitizeName(filename),
      mime: await detectMime(meter.head()),
      size: meter.bytes,
      sha256: meter.hash.digest('hex'),
      disk: this.storage.kind,
      storage_key: key,
      status: 'active',
      created_at: now,
    }
    const id = insertedId(await db.table('files').insert(row).returning('id'))
    return { id, ...row }
  }

  /** Size, sha256 and type of bytes already stored (a direct upload), within the same limits. */
  async measure(stream: Readable, remaining: number) {
    const meter = new Meter(
      this.settings.maxFileBytes,
      remaining,
      () => this.#tooLarge(),
      () => quotaExceeded()
    )
    const sink = new Writable({ write: (_chunk, _encoding, callback) => callback() })
    try {
      await pipeline(stream, meter, sink)
    } catch (error) {
      throw meter.failure ?? error
    }
    return {
      size: meter.bytes,
      sha256: meter.hash.digest('hex'),
      mime: await detectMime(meter.head()),
    }
  }

  #tooLarge() {
    return new ApiError(
      'E_FILE_TOO_LARGE',
      `A file holds at most ${this.settings.maxFileBytes} bytes`,
      {
        status: 413,
        field: 'file',
      }
    )
  }
}

function quotaExceeded() {
  return ApiError.invalid('E_QUOTA_EXCEEDED', 'Your company’s storage quota is used up', 'file')
}

/* The first file part of a multipart body, as a stream (fields are ignored). */
function firstFile(request: IncomingMessage) {
  return new Promise<{ stream: Readable; filename: string }>((resolve, reject) => {
    let parser: busboy.Busboy
    try {
      parser = busboy({
        headers: request.headers,
        limits: { files: 1, fields: 20 },
        defParamCharset: 'utf8',
      })
    } catch {
      return reject(
        ApiError.invalid('E_MULTIPART_REQUIRED', 'Send the file as multipart/form-data', 'file')
      )
    }
    let found = false
    parser.on('file', (_field, stream, info) => {
      found = true
      resolve({ stream, filename: info.filename ?? '' })
    })
    parser.on('error', (error) => (found ? undefined : reject(error)))
    parser.on('close', () => {
      if (!found) reject(ApiError.invalid('E_FILE_MISSING', 'The request carries no file', 'file'))
    })
    request.pipe(parser)
  })
}

class Meter extends Transform {
  bytes = 0
  hash = createHash('sha256')
  failure?: Error
  #head: Buffer[] = []
  #headBytes = 0

  constructor(
    private maxBytes: number,
    private remaining: number,
    private tooLarge: () => Error,
    private overQuota: () => Error
  ) {
    super()
  }

  _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
    this.bytes += chunk.length
    if (this.bytes > this.maxBytes) return callback((this.failure = this.tooLarge()))
    if (this.bytes > this.remaining) return callback((this.failure = this.overQuota()))
    this.hash.update(chunk)
    if (this.#headBytes < SNIFF_BYTES) {
      this.#head.push(chunk)
      this.#headBytes += chunk.length
    }
    callback(null, chunk)
  }

  head() {
    return Buffer.concat(this.#head).subarray(0, SNIFF_BYTES)
  }
}
