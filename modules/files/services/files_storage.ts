import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { mkdir, open, rm } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { S3Client } from '@aws-sdk/client-s3'
import { Upload } from '@aws-sdk/lib-storage'
import { Disk } from 'flydrive'
import { S3Driver } from 'flydrive/drivers/s3'
import drive from '@adonisjs/drive/services/main'
import env from '#start/env'
import { filesRoot } from '#config/drive'

/*
| Where the bytes go: the local disk or an S3-compatible bucket, behind @adonisjs/drive's disks.
| Writes stream: on S3 through a multipart upload (parts of 8 MiB, four at a time), since a
| single PutObject needs the length up front; memory stays flat whatever the size.
*/
export type Kind = 'fs' | 's3'

export class FilesStorage {
  constructor(
    public kind: Kind,
    public disk: Disk,
    private s3?: { client: S3Client; bucket: string },
    private root?: string
  ) {}

  static local(disk: Disk, root: string) {
    return new FilesStorage('fs', disk, undefined, root)
  }

  static fromEnv(kind: Kind) {
    if (kind === 'fs') return FilesStorage.local(drive.use('fs'), filesRoot())
    const client = new S3Client({
      region: env.get('S3_REGION', 'us-east-1'),
      endpoint: env.get('S3_ENDPOINT'),
      forcePathStyle: env.get('S3_FORCE_PATH_STYLE', false),
      credentials: {
        accessKeyId: env.get('S3_ACCESS_KEY_ID', ''),
        secretAccessKey: env.get('S3_SECRET_ACCESS_KEY', ''),
      },
    })
    return FilesStorage.s3(client, env.get('S3_BUCKET', ''))
  }

  static s3(client: S3Client, bucket: string) {
    const disk = new Disk(new S3Driver({ client, bucket, visibility: 'private' }))
    return new FilesStorage('s3', disk, { client, bucket })
  }

  /* A write that fails leaves nothing behind: the partial object is removed before it rejects. */
  async write(key: string, body: Readable, contentType?: string) {
    if (!this.s3) return this.#writeLocal(key, body)
    await new Upload({
      client: this.s3.client,
      params: { Bucket: this.s3.bucket, Key: key, Body: body, ContentType: contentType },
      partSize: 8 * 1024 * 1024,
      queueSize: 4,
    }).done()
  }

  async #writeLocal(key: string, body: Readable) {
    const path = join(this.root!, key)
    await mkdir(dirname(path), { recursive: true })
    const handle = await open(path, 'w')
    try {
      await pipeline(body, handle.createWriteStream())
    } catch (error) {
      await rm(path, { force: true })
      throw error
    }
  }

  read(key: string) {
    return this.disk.getStream(key)
  }

  exists(key: string) {
    return this.disk.exists(key)
  }

  delete(key: string) {
    return this.disk.delete(key)
  }

  /** Every stored key under a prefix (for `files:verify`). */
  async *keys(prefix: string) {
    let paginationToken: string | undefined
    do {
      const page = await this.disk.listAll(prefix, { recursive: true, paginationToken })
      for (const object of page.objects) if (object.isFile) yield object.key
      paginationToken = page.paginationToken
    } while (paginationToken)
  }

  /** S3 only: a presigned PUT for one object of a declared length. */
  presignedUpload(key: string, options: { expiresIn: number; contentLength: number }) {
    return this.disk.getSignedUploadUrl(key, {
      expiresIn: options.expiresIn,
      contentSize: options.contentLength,
    })
  }

  /** S3 only: a presigned GET that downloads under the file's name. */
  presignedDownload(
    key: string,
    options: { expiresIn: number; contentType: string; contentDisposition: string }
  ) {
    return this.disk.getSignedUrl(key, options)
  }
}
