import { createHash } from 'node:crypto'
import { readdir, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { Resumable } from '#files/services/resumable'
import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import { FilesSettings } from '#files/services/files_settings'
import { FilesStorage } from '#files/services/files_storage'

type Progress = (done: number, total: number) => void

/*
| Housekeeping: purging deleted files (their bytes, then their rows) once they are old enough,
| and checking the database against the storage: objects missing, objects nobody recorded
| (orphans, e.g. an upload cut off by a crash), and bytes whose sha256 changed.
*/
@inject()
export class FilesMaintenance {
  constructor(
    private settings: FilesSettings,
    private storage: FilesStorage
  ) {}

  async purge(days = this.settings.purgeAfterDays, progress: Progress = () => {}) {
    const before = this.settings.now() - days * 86_400_000
    const rows = await db
      .from('files')
      .whereIn('status', ['deleted', 'pending'])
      .where('deleted_at', '<=', before)
      .select('id', 'storage_key', 'size')
    let bytes = 0
    for (const [index, row] of rows.entries()) {
      await this.storage.delete(row.storage_key)
      await db.from('files').where('id', row.id).delete()
      bytes += Number(row.size)
      progress(index + 1, rows.length)
    }
    return { files: rows.length, bytes, abandonedUploads: await this.#abandoned(before) }
  }

  /* Resumable uploads nobody finished: their staged parts, untouched since the cutoff. */
  async #abandoned(before: number) {
    const directory = Resumable.directory()
    const names = await readdir(directory).catch(() => [] as string[])
    let removed = 0
    for (const name of names.filter((entry) => !entry.endsWith('.json'))) {
      const path = join(directory, name)
      const info = await stat(path).catch(() => null)
      if (!info || info.mtimeMs > before) continue
      await rm(path, { force: true })
      await rm(`${path}.json`, { force: true })
      removed++
    }
    return removed
  }

  async verify(options: { checksums?: boolean } = {}, progress: Progress = () => {}) {
    const rows = await db
      .from('files')
      .where('disk', this.storage.kind)
      .select('id', 'storage_key', 'sha256', 'size')
    const known = new Set<string>()
    const missing: number[] = []
    const mismatched: number[] = []
    for (const [index, row] of rows.entries()) {
      known.add(row.storage_key)
      if (!(await this.storage.exists(row.storage_key))) missing.push(Number(row.id))
      else if (options.checksums !== false && (await this.#sha256(row.storage_key)) !== row.sha256)
        mismatched.push(Number(row.id))
      progress(index + 1, rows.length)
    }
    const orphans: string[] = []
    for await (const key of this.storage.keys('companies')) if (!known.has(key)) orphans.push(key)
    return { files: rows.length, missing, mismatched, orphans }
  }

  async #sha256(key: string) {
    const hash = createHash('sha256')
    for await (const chunk of await this.storage.read(key)) hash.update(chunk as Buffer)
    return hash.digest('hex')
  }
}
