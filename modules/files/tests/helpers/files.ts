import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import app from '@adonisjs/core/services/app'
import type { Group } from '@japa/runner/core'
import S3rver from 's3rver'
import { S3Client, CreateBucketCommand } from '@aws-sdk/client-s3'
import { Disk } from 'flydrive'
import { FSDriver } from 'flydrive/drivers/fs'
import User from '#accounts/models/user'
import { FilesSettings } from '#files/services/files_settings'
import { FilesStorage, type Kind } from '#files/services/files_storage'
import { testServerUrl } from '#tests/helpers/realtime'

/*
| The files tests run once per storage: the local disk in a temporary folder, and a real
| S3-compatible server (s3rver) on loopback with its own bucket. The app's FilesStorage and
| FilesSettings are swapped for the group.
*/
export const STORAGES: Kind[] = ['fs', 's3']

export function withStorage(group: Group, kind: Kind) {
  const context = {} as { storage: FilesStorage; settings: FilesSettings; dir: string }
  group.setup(async () => {
    const dir = await mkdtemp(join(tmpdir(), `tandem-files-${kind}-`))
    let close = async () => {}
    if (kind === 'fs') {
      context.storage = FilesStorage.local(
        new Disk(new FSDriver({ location: dir, visibility: 'private' })),
        dir
      )
    } else {
      const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir })
      const { port } = await server.run()
      const client = new S3Client({
        region: 'us-east-1',
        endpoint: `http://127.0.0.1:${port}`,
        forcePathStyle: true,
        credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      })
      await client.send(new CreateBucketCommand({ Bucket: 'tandem-files' }))
      context.storage = FilesStorage.s3(client, 'tandem-files')
      close = async () => {
        client.destroy()
        await server.close()
      }
    }
    context.settings = Object.assign(new FilesSettings(), { disk: kind, appUrl: testServerUrl() })
    context.dir = dir
    app.container.swap(FilesStorage, () => context.storage)
    app.container.swap(FilesSettings, () => context.settings)
    return async () => {
      app.container.restore(FilesStorage)
      app.container.restore(FilesSettings)
      await close()
      await rm(dir, { recursive: true, force: true })
    }
  })
  /* Company ids repeat once each test's transaction is rolled back: start from empty storage. */
  group.each.setup(async () => {
    await context.storage.disk.deleteAll('companies')
  })
  return context
}

export async function filesToken(
  user: User,
  companyId: number,
  abilities = ['files:read', 'files:write']
) {
  return (await User.accessTokens.create(user, abilities, { companyId })).value!.release()
}

/** POSTs bytes as multipart/form-data, like a desktop client would. */
export async function upload(
  token: string,
  name: string,
  bytes: Uint8Array | string,
  type = 'application/octet-stream'
) {
  const form = new FormData()
  form.append('file', new Blob([bytes], { type }), name)
  const response = await fetch(`${testServerUrl()}/api/v1/files`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  })
  return { status: response.status, body: (await response.json().catch(() => null)) as any }
}

export async function readAll(storage: FilesStorage, key: string) {
  const chunks: Buffer[] = []
  for await (const chunk of await storage.read(key)) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

/* The 8-byte PNG signature plus a minimal IHDR: enough for type detection. */
export const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000a49444154789c6300010000050001',
  'hex'
)
