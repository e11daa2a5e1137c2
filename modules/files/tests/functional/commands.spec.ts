import { test } from '@japa/runner'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { Disk } from 'flydrive'
import { FSDriver } from 'flydrive/drivers/fs'
import { createCompanyWithOwner } from '#accounts/database/factories/user_factory'
import { ace, baseEnv, sharedServicesEnv } from '#tests/helpers/app_process'
import { FilesStorage } from '#files/services/files_storage'
import { FilesSettings } from '#files/services/files_settings'
import { filesToken, upload } from '#files/tests/helpers/files'
import { testServerUrl } from '#tests/helpers/realtime'

/*
| `node ace files:prune` and `files:verify` as the operator runs them: separate processes on the
| same database and folder, over rows that were really committed (removed afterwards).
*/
test.group('files:prune and files:verify', (group) => {
  let dir = ''
  const companies: number[] = []
  group.setup(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tandem-files-cli-'))
    const storage = FilesStorage.local(
      new Disk(new FSDriver({ location: dir, visibility: 'private' })),
      dir
    )
    app.container.swap(FilesStorage, () => storage)
    app.container.swap(FilesSettings, () =>
      Object.assign(new FilesSettings(), { appUrl: testServerUrl() })
    )
    return async () => {
      app.container.restore(FilesStorage)
      app.container.restore(FilesSettings)
      await rm(dir, { recursive: true, force: true })
    }
  })
  group.each.teardown(async () => {
    for (const id of companies.splice(0)) {
      await db.from('files').where('company_id', id).delete()
      await db.from('companies').where('id', id).delete()
    }
  })
  const env = () => ({
    ...baseEnv(sharedServicesEnv()),
    FILES_ROOT: dir,
    DRIVE_DISK: 'fs',
    PORT: '3333',
    APP_URL: 'http://127.0.0.1:3333',
  })

  test('files:prune purges old deletions only; files:verify finds what is wrong and exits 1', async ({
    assert,
  }) => {
    const { company, owner } = await createCompanyWithOwner()
    companies.push(company.id)
    const token = await filesToken(owner, company.id)
    const old = await upload(token, 'old.txt', 'old')
    const recent = await upload(token, 'recent.txt', 'recent')
    const kept = await upload(token, 'kept.txt', 'kept')
    const tenDaysAgo = Date.now() - 10 * 86_400_000
    await db
      .from('files')
      .where('id', old.body.id)
      .update({ status: 'deleted', deleted_at: tenDaysAgo })
    await db
      .from('files')
      .where('id', recent.body.id)
      .update({ status: 'deleted', deleted_at: Date.now() })

    const pruned = JSON.parse(
      (await ace(['files:prune', '--json'], env())).trim().split('\n').at(-1)!
    )
    assert.containsSubset(pruned, { files: 1, bytes: 3 })
    assert.deepEqual(
      (await db.from('files').where('company_id', company.id).orderBy('id')).map((r) => r.name),
      ['recent.txt', 'kept.txt']
    )
    const clean = JSON.parse(
      (await ace(['files:verify', '--json'], env())).trim().split('\n').at(-1)!
    )
    assert.containsSubset(clean, { missing: [], mismatched: [], orphans: [] })

    const row = await db.from('files').where('id', kept.body.id).first()
    const storage = await app.container.make(FilesStorage)
    await storage.disk.put(row.storage_key, 'changed')
    const failed = await ace(['files:verify'], env()).catch((error) => error.message as string)
    assert.match(failed, /failed \(1\)/)
    assert.match(failed, new RegExp(`file ${kept.body.id}: sha256 differs`))
  }).timeout(60_000)
})
