import { test } from '@japa/runner'
import { createRequire } from 'node:module'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cachePreparedStatements, opaqueParameters } from '#app/helpers/sqlite_statements'

/* better-sqlite3 ships no types; these methods are enough here. */
type Statement = {
  all(...params: unknown[]): unknown[]
  run(...params: unknown[]): unknown
  safeIntegers(on: boolean): Statement
}
type Sqlite = {
  exec(sql: string): void
  prepare(sql: string): Statement
  pragma(text: string): unknown
  close(): void
}
const Database = createRequire(import.meta.url)('better-sqlite3') as new (file: string) => Sqlite

test.group('SQLite statements: opaque parameters', () => {
  test('every parameter becomes +?, quoted text and comments stay as written', ({ assert }) => {
    assert.equal(
      opaqueParameters('select * from `t` where `a` = ? and b in (?, ?) limit ? offset ?'),
      'select * from `t` where `a` = +? and b in (+?, +?) limit +? offset +?'
    )
    assert.equal(
      opaqueParameters(
        `select '?', 'it''s ?', "a?", \`b?\`, [c?] from t where x=? -- y = ?\n and z=?`
      ),
      `select '?', 'it''s ?', "a?", \`b?\`, [c?] from t where x=+? -- y = ?\n and z=+?`
    )
    assert.equal(
      opaqueParameters('insert into t (a, b) values (?, ?) /* ? */ returning ?'),
      'insert into t (a, b) values (+?, +?) /* ? */ returning +?'
    )
    assert.equal(opaqueParameters('select 1'), 'select 1')
    assert.equal(opaqueParameters("select 'unterminated ?"), "select 'unterminated ?")
  })

  test('answers exactly what the statement as written answers', ({ assert }) => {
    const db = new Database(':memory:')
    db.exec(`
      create table users (id integer primary key, email text not null, admin boolean not null);
      create table tokens (id integer primary key, user_id integer not null, type text not null, n real);
      create index tokens_user on tokens (user_id);
    `)
    const user = db.prepare('insert into users (email, admin) values (?, ?)')
    const token = db.prepare('insert into tokens (user_id, type, n) values (?, ?, ?)')
    for (let i = 1; i <= 30; i++) {
      user.run(`u${i}@example.com`, i % 2)
      token.run(i, i % 3 ? 'api' : 'web', i / 4)
    }
    const cases: Array<[string, unknown[]]> = [
      // a token id arrives as text (decoded from the bearer token), compared with an integer key
      [
        'select t.*, u.email from tokens t join users u on u.id = t.user_id where t.id = ? and t.type = ? limit ?',
        ['3', 'web', 1],
      ],
      ['select id from tokens where user_id in (?, ?, ?) order by id', [1, 2, 30]],
      ['select id from users where admin = ? order by id limit ? offset ?', [1, 5, 2]],
      ['select id from users where email like ? order by id', ['u1%']],
      ['select id from tokens where n > ? and n <= ? order by id', [2, 3.5]],
      ['select id from tokens where type = ? and id > ? order by id', ['api', '20']],
      ['select count(*) as c from tokens where user_id = ?', [null]],
      ['select ? as v, ? || ? as s', [-0, 'a', 7]],
    ]
    for (const [sql, args] of cases) {
      assert.deepEqual(
        db.prepare(opaqueParameters(sql)).all(...args),
        db.prepare(sql).all(...args),
        sql
      )
    }
  })

  test('connections reuse one prepared statement per text, prepared with +?', ({ assert }) => {
    const db = new Database(':memory:')
    db.exec('create table t (id integer primary key, v text)')
    const prepared: string[] = []
    const prepare = db.prepare.bind(db)
    ;(db as any).prepare = (sql: string) => {
      prepared.push(sql)
      return prepare(sql)
    }
    cachePreparedStatements(db)

    db.prepare('insert into t (v) values (?)').run('a')
    db.prepare('insert into t (v) values (?)').run('b')
    const rows = db.prepare('select v from t where id > ? order by id').all(0)

    assert.deepEqual(rows, [{ v: 'a' }, { v: 'b' }])
    assert.deepEqual(prepared, [
      'insert into t (v) values (+?)',
      'select v from t where id > +? order by id',
    ])
  })
})

/*
| Two connections on one file, as the server and an ace command are: `holder` takes the write
| lock, `app` is set up like the app's connections (busy_timeout = 0, waiting on a timer).
*/
test.group('SQLite statements: waiting for a locked database', (group) => {
  let dir: string
  let holder: Sqlite
  let app: Sqlite
  const open = () => {
    const connection = new Database(join(dir, 'locked.sqlite3'))
    connection.pragma('journal_mode = WAL')
    return connection
  }
  group.each.setup(() => {
    dir = mkdtempSync(join(tmpdir(), 'tandem-busy-'))
    holder = open()
    holder.exec('create table t (id integer primary key, v text unique)')
    app = open()
    app.pragma('busy_timeout = 0')
    return () => {
      holder.close()
      app.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

  test('a write waits for the lock without holding the event loop, then lands', async ({
    assert,
  }) => {
    cachePreparedStatements(app, { waitWhenBusy: 5000 })
    holder.exec("begin immediate; insert into t (v) values ('holder')")
    let ticks = 0
    const ticker = setInterval(() => ticks++, 5)
    const released = sleep(150).then(() => holder.exec('commit'))
    const started = Date.now()
    const result = app.prepare('insert into t (v) values (?)').run('app')

    assert.instanceOf(result, Promise, 'refused at first: it waits')
    assert.equal(ticks, 0)
    const { changes } = (await result) as { changes: number }
    clearInterval(ticker)
    await released

    assert.equal(changes, 1)
    assert.isAtLeast(Date.now() - started, 140)
    assert.isAtLeast(ticks, 10, 'timers ran while the write waited')
    assert.deepEqual(holder.prepare('select v from t order by id').all(), [
      { v: 'holder' },
      { v: 'app' },
    ])
  })

  test('it gives up after the wait with SQLITE_BUSY, nothing written', async ({ assert }) => {
    cachePreparedStatements(app, { waitWhenBusy: 100 })
    holder.exec('begin immediate')
    const started = Date.now()
    const error = await Promise.resolve(
      app.prepare('insert into t (v) values (?)').run('app')
    ).then(
      () => null,
      (e) => e
    )
    const waited = Date.now() - started
    holder.exec('commit')

    assert.equal(error?.code, 'SQLITE_BUSY')
    assert.isAtLeast(waited, 100)
    assert.isBelow(waited, 1000)
    assert.deepEqual(holder.prepare('select v from t').all(), [])
  })

  test('other errors and a stale snapshot fail at once; free statements answer at once', ({
    assert,
  }) => {
    cachePreparedStatements(app, { waitWhenBusy: 5000 })
    assert.deepEqual(app.prepare('insert into t (v) values (?)').run('a'), {
      changes: 1,
      lastInsertRowid: 1,
    })
    assert.throws(() => app.prepare('insert into t (v) values (?)').run('a'), /UNIQUE/)

    /* app read before holder wrote: its write can never succeed in this transaction. */
    app.exec('begin')
    assert.lengthOf(app.prepare('select v from t').all() as unknown[], 1)
    holder.exec("insert into t (v) values ('b')")
    try {
      app.prepare('insert into t (v) values (?)').run('c')
      assert.fail('expected SQLITE_BUSY_SNAPSHOT')
    } catch (error) {
      assert.equal((error as { code?: string }).code, 'SQLITE_BUSY_SNAPSHOT')
    }
    app.exec('rollback')
  })
})
