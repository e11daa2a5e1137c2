import { test } from '@japa/runner'
import { createRequire } from 'node:module'
import db from '@adonisjs/lucid/services/db'
import Company from '#accounts/models/company'
import { isSqliteConnection } from '#app/helpers/write_slots'

/*
| Another process (an ace command, a backup, a second server) holds the SQLite file's write
| lock: the server's own write waits for it on a timer (sqlite_statements.ts), so the server
| keeps answering meanwhile, and the write lands once the lock is free. Not in the rolled-back
| transaction: that would hold the lock itself.
*/
type Sqlite = { exec(sql: string): void; pragma(text: string): unknown; close(): void }
const Database = createRequire(import.meta.url)('better-sqlite3') as new (file: string) => Sqlite
const NOT_SQLITE = 'SQLite only: PostgreSQL and MariaDB wait for locks on their server'

test.group('SQLite: another process holds the write lock', () => {
  test('the server answers while a write waits, and the write lands after', async ({
    client,
    assert,
  }) => {
    const config = db.manager.get(db.primaryConnectionName)!.config as any
    const other = new Database(config.connection.filename)
    other.pragma('busy_timeout = 5000')
    other.exec('BEGIN IMMEDIATE')
    const name = `locked-${Date.now()}`
    let landed = false
    let locked = true
    try {
      const write = Company.create({ name, personal: false }).then((company) => {
        landed = true
        return company
      })
      const response = await client.get('/health/live')
      response.assertStatus(200)
      assert.isFalse(landed, 'the write is still waiting for the lock')
      other.exec('COMMIT')
      locked = false
      const company = await write
      const row = await db.from('companies').where('id', company.id).first()
      assert.equal(row?.name, name)
      await db.from('companies').where('id', company.id).delete()
    } finally {
      if (locked) other.exec('ROLLBACK')
      other.close()
    }
  }).skip(!isSqliteConnection(), NOT_SQLITE)
})
