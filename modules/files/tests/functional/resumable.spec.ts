import { test } from '@japa/runner'
import { request } from 'node:http'
import { createHash, randomBytes } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import { isolate } from '#tests/helpers/database'
import { testServerUrl } from '#tests/helpers/realtime'
import { createCompanyWithOwner } from '#accounts/database/factories/user_factory'
import { filesToken, readAll, STORAGES, withStorage } from '#files/tests/helpers/files'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import app from '@adonisjs/core/services/app'
import { Resumable } from '#files/services/resumable'
import { FilesMaintenance } from '#files/services/maintenance'

/*
| The tus protocol by hand: create, send part of the bytes on a connection that is cut mid-way,
| ask the server where it got to, send the rest, and find the file stored whole.
*/
const tus = { 'tus-resumable': '1.0.0' }
const b64 = (text: string) => Buffer.from(text).toString('base64')

/* Sends `bytes` as a PATCH; with `cutAfter`, the connection drops after that many bytes. */
function patch(url: string, token: string, offset: number, bytes: Buffer, cutAfter?: number) {
  return new Promise<{ status: number; headers: Record<string, any> } | 'cut'>((resolve) => {
    const req = request(url, {
      method: 'PATCH',
      headers: {
        ...tus,
        'authorization': `Bearer ${token}`,
        'upload-offset': String(offset),
        'content-type': 'application/offset+octet-stream',
        'content-length': String(bytes.length),
      },
    })
    req.on('response', (res) => {
      res.resume()
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers }))
    })
    req.on('error', () => resolve('cut'))
    if (cutAfter === undefined) return req.end(bytes)
    req.write(bytes.subarray(0, cutAfter), () => setTimeout(() => req.destroy(), 300))
  })
}

for (const kind of STORAGES) {
  test.group(
    `Resumable uploads (tus) to ${kind === 'fs' ? 'the local disk' : 'S3 (s3rver)'}`,
    (group) => {
      isolate(group)
      const files = withStorage(group, kind)

      test('an upload cut mid-way resumes from the server’s offset and is stored whole', async ({
        assert,
      }) => {
        const { company, owner } = await createCompanyWithOwner()
        const token = await filesToken(owner, company.id)
        const bytes = randomBytes(3 * 1024 * 1024 + 17)
        const created = await fetch(`${testServerUrl()}/api/v1/files/uploads`, {
          method: 'POST',
          headers: {
            ...tus,
            'authorization': `Bearer ${token}`,
            'upload-length': String(bytes.length),
            'upload-metadata': `filename ${b64('survey ✓.bin')}`,
          },
        })
        assert.equal(created.status, 201)
        const location = new URL(created.headers.get('location')!, testServerUrl()).toString()
        assert.match(location, new RegExp(`/api/v1/files/uploads/${company.id}-`), location)

        assert.equal(await patch(location, token, 0, bytes, 1024 * 1024), 'cut')
        const head = await fetch(location, {
          method: 'HEAD',
          headers: { ...tus, authorization: `Bearer ${token}` },
        })
        const offset = Number(head.headers.get('upload-offset'))
        assert.isAbove(offset, 0)
        assert.isBelow(offset, bytes.length)
        assert.lengthOf(await db.from('files').where('company_id', company.id), 0)

        const rest = await patch(location, token, offset, bytes.subarray(offset))
        assert.notEqual(rest, 'cut')
        const done = rest as { status: number; headers: Record<string, any> }
        assert.equal(done.status, 204)
        const row = await db
          .from('files')
          .where('id', Number(done.headers['tandem-file-id']))
          .first()
        assert.containsSubset(row, {
          company_id: company.id,
          name: 'survey ✓.bin',
          sha256: createHash('sha256').update(bytes).digest('hex'),
        })
        assert.equal(Number(row.size), bytes.length)
        assert.deepEqual(await readAll(files.storage, row.storage_key), bytes)
      })

      test('an abandoned upload is purged with the deleted files', async ({ assert }) => {
        const { company, owner } = await createCompanyWithOwner()
        const token = await filesToken(owner, company.id)
        const created = await fetch(`${testServerUrl()}/api/v1/files/uploads`, {
          method: 'POST',
          headers: { ...tus, 'authorization': `Bearer ${token}`, 'upload-length': '1000' },
        })
        const id = created.headers.get('location')!.split('/').pop()!
        const staged = join(Resumable.directory(), id)
        assert.isTrue(existsSync(staged))
        const maintenance = await app.container.make(FilesMaintenance)
        assert.equal((await maintenance.purge(1)).abandonedUploads, 0)
        assert.isTrue(existsSync(staged))
        const { abandonedUploads } = await maintenance.purge(0)
        assert.isAtLeast(abandonedUploads, 1)
        assert.isFalse(existsSync(staged))
        assert.isFalse(existsSync(`${staged}.json`))
      })

      test('another company cannot see or continue an upload; the quota is checked up front', async ({
        assert,
        cleanup,
      }) => {
        const a = await createCompanyWithOwner()
        const b = await createCompanyWithOwner()
        const tokenA = await filesToken(a.owner, a.company.id)
        const created = await fetch(`${testServerUrl()}/api/v1/files/uploads`, {
          method: 'POST',
          headers: { ...tus, 'authorization': `Bearer ${tokenA}`, 'upload-length': '10' },
        })
        const location = new URL(created.headers.get('location')!, testServerUrl()).toString()
        const tokenB = await filesToken(b.owner, b.company.id)
        const head = await fetch(location, {
          method: 'HEAD',
          headers: { ...tus, authorization: `Bearer ${tokenB}` },
        })
        assert.equal(head.status, 404)
        const stolen = await patch(location, tokenB, 0, Buffer.from('0123456789'))
        assert.equal((stolen as any).status, 404)

        const { quotaBytes } = files.settings
        files.settings.quotaBytes = 100
        cleanup(() => {
          files.settings.quotaBytes = quotaBytes
        })
        const tooBig = await fetch(`${testServerUrl()}/api/v1/files/uploads`, {
          method: 'POST',
          headers: { ...tus, 'authorization': `Bearer ${tokenA}`, 'upload-length': '101' },
        })
        assert.equal(tooBig.status, 422)
        assert.match(await tooBig.text(), /E_QUOTA_EXCEEDED/)
      })
    }
  )
}
