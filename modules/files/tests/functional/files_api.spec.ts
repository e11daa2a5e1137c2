import { test } from '@japa/runner'
import { createHash } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import { isolate } from '#tests/helpers/database'
import { testServerUrl } from '#tests/helpers/realtime'
import { createCompanyWithOwner } from '#accounts/database/factories/user_factory'
import { FilesMaintenance } from '#files/services/maintenance'
import app from '@adonisjs/core/services/app'
import { filesToken, PNG, readAll, STORAGES, upload, withStorage } from '#files/tests/helpers/files'

const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex')

for (const kind of STORAGES) {
  test.group(`Files API on ${kind === 'fs' ? 'the local disk' : 'S3 (s3rver)'}`, (group) => {
    isolate(group)
    const files = withStorage(group, kind)

    test('uploads stream to storage with their sha256 and a type read from the bytes', async ({
      assert,
    }) => {
      const { company, owner } = await createCompanyWithOwner()
      const token = await filesToken(owner, company.id)
      const stored = await upload(token, '../../etc/notes.txt', PNG, 'text/plain')
      assert.equal(stored.status, 201)
      assert.containsSubset(stored.body, {
        name: 'notes.txt',
        size: PNG.length,
        mime: 'image/png',
        sha256: sha256(PNG),
      })
      assert.isString(stored.body.createdAt)
      const row = await db.from('files').where('id', stored.body.id).first()
      assert.equal(row.storage_key, `companies/${company.id}/${row.uuid}`)
      assert.equal(row.disk, kind)
      assert.deepEqual(await readAll(files.storage, row.storage_key), PNG)
      const text = await upload(token, 'readme', 'plain words, nothing else')
      assert.equal(text.body.mime, 'text/plain')
    })

    test('a signed link downloads the same bytes under the file name, once it is asked for', async ({
      assert,
    }) => {
      const { company, owner } = await createCompanyWithOwner()
      const token = await filesToken(owner, company.id)
      const bytes = Buffer.from(Array.from({ length: 300_000 }, (_, i) => i % 251))
      const { body } = await upload(token, 'report é.bin', bytes)
      const shown = await fetch(`${testServerUrl()}/api/v1/files/${body.id}`, {
        headers: { authorization: `Bearer ${token}` },
      })
      const file = (await shown.json()) as any
      assert.equal(file.name, 'report é.bin')
      const download = await fetch(file.download.url)
      assert.equal(download.status, 200)
      assert.deepEqual(Buffer.from(await download.arrayBuffer()), bytes)
      assert.include(
        download.headers.get('content-disposition')!,
        "filename*=UTF-8''report%20%C3%A9.bin"
      )
      assert.isAbove(Date.parse(file.download.expiresAt), Date.now())
    })

    test('another company’s file is 404, and lists never show it', async ({ assert }) => {
      const a = await createCompanyWithOwner()
      const b = await createCompanyWithOwner()
      const mine = await upload(await filesToken(a.owner, a.company.id), 'a.txt', 'for a')
      const other = await filesToken(b.owner, b.company.id)
      for (const method of ['GET', 'DELETE']) {
        const response = await fetch(`${testServerUrl()}/api/v1/files/${mine.body.id}`, {
          method,
          headers: { authorization: `Bearer ${other}` },
        })
        assert.equal(response.status, 404)
      }
      const list = await fetch(`${testServerUrl()}/api/v1/files`, {
        headers: { authorization: `Bearer ${other}` },
      })
      assert.deepEqual(((await list.json()) as any).data, [])
      assert.equal((await db.from('files').where('id', mine.body.id).first()).status, 'active')
    })

    test('lists newest first by cursor', async ({ assert }) => {
      const { company, owner } = await createCompanyWithOwner()
      const token = await filesToken(owner, company.id)
      for (const name of ['one', 'two', 'three']) await upload(token, `${name}.txt`, name)
      const get = (query: string) =>
        fetch(`${testServerUrl()}/api/v1/files${query}`, {
          headers: { authorization: `Bearer ${token}` },
        }).then((r) => r.json() as any)
      const first = await get('?limit=2')
      assert.deepEqual(
        first.data.map((f: any) => f.name),
        ['three.txt', 'two.txt']
      )
      const second = await get(`?limit=2&cursor=${first.nextCursor}`)
      assert.deepEqual(
        second.data.map((f: any) => f.name),
        ['one.txt']
      )
      assert.isNull(second.nextCursor)
    })

    test('the file limit (413) and the company quota (422) refuse uploads and store nothing', async ({
      assert,
      cleanup,
    }) => {
      const { company, owner } = await createCompanyWithOwner()
      const token = await filesToken(owner, company.id)
      const { maxFileBytes, quotaBytes } = files.settings
      cleanup(() => {
        Object.assign(files.settings, { maxFileBytes, quotaBytes })
      })
      Object.assign(files.settings, { maxFileBytes: 100_000, quotaBytes: 150_000 })

      const big = await upload(token, 'big.bin', Buffer.alloc(100_001, 1))
      assert.equal(big.status, 413)
      assert.equal(big.body.errors[0].code, 'E_FILE_TOO_LARGE')
      assert.equal((await upload(token, 'first.bin', Buffer.alloc(90_000, 2))).status, 201)
      const over = await upload(token, 'second.bin', Buffer.alloc(90_000, 3))
      assert.equal(over.status, 422)
      assert.equal(over.body.errors[0].code, 'E_QUOTA_EXCEEDED')
      const rows = await db.from('files').where('company_id', company.id)
      assert.deepEqual(
        rows.map((r) => r.name),
        ['first.bin']
      )
      const keys: string[] = []
      for await (const key of files.storage.keys(`companies/${company.id}`)) keys.push(key)
      assert.deepEqual(keys, [rows[0].storage_key])
    })

    test('deleting hides a file at once; the purge removes its bytes after the delay', async ({
      assert,
    }) => {
      const { company, owner } = await createCompanyWithOwner()
      const token = await filesToken(owner, company.id)
      const { body } = await upload(token, 'old.txt', 'bye')
      const gone = await fetch(`${testServerUrl()}/api/v1/files/${body.id}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${token}` },
      })
      assert.equal(gone.status, 204)
      const shown = await fetch(`${testServerUrl()}/api/v1/files/${body.id}`, {
        headers: { authorization: `Bearer ${token}` },
      })
      assert.equal(shown.status, 404)
      const row = await db.from('files').where('id', body.id).first()
      assert.isTrue(await files.storage.exists(row.storage_key))

      const maintenance = await app.container.make(FilesMaintenance)
      assert.containsSubset(await maintenance.purge(1), { files: 0, bytes: 0 })
      assert.containsSubset(await maintenance.purge(0), { files: 1, bytes: 3 })
      assert.isFalse(await files.storage.exists(row.storage_key))
      assert.isNull(await db.from('files').where('id', body.id).first())
    })

    test('verify reports missing objects, orphans and changed bytes', async ({ assert }) => {
      const { company, owner } = await createCompanyWithOwner()
      const token = await filesToken(owner, company.id)
      const kept = await upload(token, 'kept.txt', 'kept')
      const lost = await upload(token, 'lost.txt', 'lost')
      const changed = await upload(token, 'changed.txt', 'original')
      const key = async (id: number) => (await db.from('files').where('id', id).first()).storage_key
      await files.storage.delete(await key(lost.body.id))
      await files.storage.disk.put(await key(changed.body.id), 'tampered')
      await files.storage.disk.put(`companies/${company.id}/stray`, 'nobody knows me')

      const maintenance = await app.container.make(FilesMaintenance)
      const report = await maintenance.verify()
      assert.deepEqual(report.missing, [lost.body.id])
      assert.deepEqual(report.mismatched, [changed.body.id])
      assert.deepEqual(report.orphans, [`companies/${company.id}/stray`])
      assert.notInclude(report.missing, kept.body.id)
    })
  })
}

test.group('Files: local download links', (group) => {
  isolate(group)
  const files = withStorage(group, 'fs')

  test('a link works only for its file, only until it expires', async ({ assert, cleanup }) => {
    const { company, owner } = await createCompanyWithOwner()
    const token = await filesToken(owner, company.id)
    const a = await upload(token, 'a.txt', 'aaa')
    const b = await upload(token, 'b.txt', 'bbb')
    const linkOf = async (id: number) =>
      (
        (await fetch(`${testServerUrl()}/api/v1/files/${id}`, {
          headers: { authorization: `Bearer ${token}` },
        }).then((r) => r.json())) as any
      ).download.url as string
    const url = new URL(await linkOf(a.body.id))
    const forged = url.toString().replace(`/files/${a.body.id}/`, `/files/${b.body.id}/`)
    const json = { headers: { accept: 'application/json' } }
    const refused = await fetch(forged, json)
    assert.equal(refused.status, 403)
    assert.equal(((await refused.json()) as any).errors[0].code, 'E_INVALID_SIGNATURE')

    const realNow = files.settings.now
    cleanup(() => {
      files.settings.now = realNow
    })
    files.settings.now = () => Date.now() + (files.settings.urlTtlSeconds + 1) * 1000
    const expired = await fetch(url, json)
    assert.equal(expired.status, 403)
    assert.equal(((await expired.json()) as any).errors[0].code, 'E_LINK_EXPIRED')
    files.settings.now = realNow
    const ok = await fetch(url)
    assert.equal(await ok.text(), 'aaa')
    assert.equal(ok.headers.get('x-content-type-options'), 'nosniff')
  })
})

test.group('Files: who may delete', (group) => {
  isolate(group)
  withStorage(group, 'fs')

  test('a member deletes their own files, not others’; owners delete any', async ({ assert }) => {
    const { createMember } = await import('#accounts/database/factories/user_factory')
    const { company, owner } = await createCompanyWithOwner()
    const { user: member } = await createMember(company, 'member')
    const ownerToken = await filesToken(owner, company.id)
    const memberToken = await filesToken(member, company.id)
    const ownersFile = await upload(ownerToken, 'owner.txt', 'o')
    const membersFile = await upload(memberToken, 'member.txt', 'm')
    const remove = (token: string, id: number) =>
      fetch(`${testServerUrl()}/api/v1/files/${id}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${token}` },
      })
    assert.equal((await remove(memberToken, ownersFile.body.id)).status, 403)
    assert.equal((await db.from('files').where('id', ownersFile.body.id).first()).status, 'active')
    assert.equal((await remove(memberToken, membersFile.body.id)).status, 204)
    assert.equal((await remove(ownerToken, ownersFile.body.id)).status, 204)
  })
})

test.group('Files: direct uploads to S3', (group) => {
  isolate(group)
  const files = withStorage(group, 's3')
  const api = (token: string, path: string, body?: unknown) =>
    fetch(`${testServerUrl()}/api/v1/files${path}`, {
      method: 'POST',
      headers: { 'authorization': `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }))

  test('the browser puts the bytes in the bucket; complete measures them and shows the file', async ({
    assert,
  }) => {
    const { company, owner } = await createCompanyWithOwner()
    const token = await filesToken(owner, company.id)
    const started = await api(token, '/direct', { name: 'scan.png', size: PNG.length })
    assert.equal(started.status, 201)
    assert.equal(started.body.method, 'PUT')
    const early = await api(token, `/direct/${started.body.fileId}/complete`)
    assert.equal(early.status, 409)
    assert.equal(early.body.errors[0].code, 'E_UPLOAD_INCOMPLETE')
    const listed = await fetch(`${testServerUrl()}/api/v1/files`, {
      headers: { authorization: `Bearer ${token}` },
    })
    assert.deepEqual(((await listed.json()) as any).data, [])

    const put = await fetch(started.body.uploadUrl, { method: 'PUT', body: PNG })
    assert.equal(put.status, 200)
    const done = await api(token, `/direct/${started.body.fileId}/complete`)
    assert.equal(done.status, 200)
    assert.containsSubset(done.body, {
      name: 'scan.png',
      size: PNG.length,
      mime: 'image/png',
      sha256: sha256(PNG),
    })
    const row = await db.from('files').where('id', started.body.fileId).first()
    assert.equal(row.status, 'active')
    assert.deepEqual(await readAll(files.storage, row.storage_key), PNG)
  })

  test('limits apply to the declared size; the local disk has no direct uploads', async ({
    assert,
  }) => {
    const { company, owner } = await createCompanyWithOwner()
    const token = await filesToken(owner, company.id)
    const big = await api(token, '/direct', { name: 'big', size: files.settings.maxFileBytes + 1 })
    assert.equal(big.status, 413)
    const kind = files.storage.kind
    files.storage.kind = 'fs'
    const local = await api(token, '/direct', { name: 'x', size: 1 }).finally(() => {
      files.storage.kind = kind
    })
    assert.equal(local.status, 409)
    assert.equal(local.body.errors[0].code, 'E_DIRECT_UPLOAD_UNAVAILABLE')
  })
})

test.group('Files: quota from the plan', (group) => {
  isolate(group)

  test('a company on a plan gets the plan’s storage; without one, FILES_QUOTA_BYTES', async ({
    assert,
  }) => {
    const { Quotas } = await import('#files/services/quotas')
    const { FilesSettings } = await import('#files/services/files_settings')
    const quotas = await app.container.make(Quotas)
    const settings = await app.container.make(FilesSettings)
    const { company } = await createCompanyWithOwner()
    assert.equal((await quotas.of(company.id)).limit, settings.quotaBytes)

    const now = Date.now()
    await db
      .table('billing_customers')
      .insert({ company_id: company.id, stripe_customer_id: `cus_q${company.id}`, created_at: now })
    await db.table('billing_subscriptions').insert({
      company_id: company.id,
      stripe_subscription_id: `sub_q${company.id}`,
      stripe_customer_id: `cus_q${company.id}`,
      plan: 'pro',
      interval: 'monthly',
      price_id: 'price_pro_monthly',
      status: 'active',
      current_period_start: now,
      current_period_end: now + 30 * 86_400_000,
      cancel_at_period_end: false,
      synced_at: now,
      created_at: now,
      updated_at: now,
    })
    assert.equal((await quotas.of(company.id)).limit, 100 * 1024 ** 3)
  })
})
