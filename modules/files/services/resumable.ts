import type { IncomingMessage, ServerResponse } from 'node:http'
import { createReadStream } from 'node:fs'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import { inject } from '@adonisjs/core'
import { filesRoot } from '#config/drive'
import { ApiError } from '#app/exceptions/api_error'
import { Server as TusServer } from '@tus/server'
import { FileStore } from '@tus/file-store'
import { FilesSettings } from '#files/services/files_settings'
import { Quotas } from '#files/services/quotas'
import { Uploads, type Uploader } from '#files/services/uploads'

export const RESUMABLE_PATH = '/api/v1/files/uploads'
/* Who is uploading, per Node request (the tus hooks see a web Request wrapping it). */
const uploaders = new WeakMap<IncomingMessage, Uploader>()
function uploaderOf(req: { runtime?: { node?: { req: IncomingMessage } } }) {
  const uploader = req.runtime?.node ? uploaders.get(req.runtime.node.req) : undefined
  if (!uploader) throw { status_code: 401, body: 'Not authenticated\n' }
  return uploader
}

/*
| Resumable uploads (the tus 1.0 protocol, `@tus/server`): a client creates an upload, sends it in
| PATCHes and, after a dropped connection, asks for the offset (HEAD) and goes on from there.
| Parts are staged in FILES_ROOT/.tus; the finished upload is streamed through the same path as
| a plain one (hash, type detection, quota) into the company's storage, and the staging removed.
| Upload ids start with the company id, and a request for another company's upload is a 404.
*/
@inject()
export class Resumable {
  #server?: TusServer

  constructor(
    private settings: FilesSettings,
    private quotas: Quotas,
    private uploads: Uploads
  ) {}

  /* Beside the files (same volume), out of the `companies/` prefix the files live under. */
  static directory() {
    return join(filesRoot(), '.tus')
  }

  /** Hands one authenticated request to the tus server, in the name of the uploader. */
  async handle(uploader: Uploader, req: IncomingMessage, res: ServerResponse) {
    const id = req.url?.split('?')[0].slice(RESUMABLE_PATH.length + 1)
    if (id && !id.startsWith(`${uploader.companyId}-`)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Upload not found')
      return
    }
    uploaders.set(req, uploader)
    await this.#tus().handle(req, res)
  }

  #tus() {
    const directory = Resumable.directory()
    this.#server ??= new TusServer({
      path: RESUMABLE_PATH,
      datastore: new FileStore({ directory }),
      maxSize: this.settings.maxFileBytes,
      /* Relative Location: right behind a TLS proxy, whatever Host and scheme the app sees. */
      relativeLocation: true,
      namingFunction: (req) => `${uploaderOf(req as any).companyId}-${randomUUID()}`,
      onUploadCreate: async (req, upload) => {
        const quota = await this.quotas.of(uploaderOf(req as any).companyId)
        if ((upload.size ?? 0) > quota.remaining)
          throw {
            status_code: 422,
            body: 'E_QUOTA_EXCEEDED: the company’s storage quota is used up\n',
          }
        return {}
      },
      onUploadFinish: async (req, upload) => {
        const uploader = uploaderOf(req as any)
        const quota = await this.quotas.of(uploader.companyId)
        const path = join(directory, upload.id)
        const file = await this.#store(
          uploader,
          path,
          upload.metadata?.filename ?? undefined,
          quota.remaining
        )
        await rm(path, { force: true })
        await rm(`${path}.json`, { force: true })
        return { headers: { 'Tandem-File-Id': String(file.id) } }
      },
    })
    return this.#server
  }

  /*
  | A refusal (quota used up meanwhile) answers its status and drops the staged parts: resuming
  | cannot help. Anything else answers 500 and keeps them.
  */
  async #store(uploader: Uploader, path: string, filename: string | undefined, remaining: number) {
    try {
      return await this.uploads.store(uploader, createReadStream(path), filename, remaining)
    } catch (error) {
      if (!(error instanceof ApiError)) throw error
      await rm(path, { force: true })
      await rm(`${path}.json`, { force: true })
      throw { status_code: error.status, body: `${error.code}: ${error.message}\n` }
    }
  }
}
