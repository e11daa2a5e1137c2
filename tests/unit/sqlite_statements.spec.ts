import { test } from '@japa/runner'
import { createRequire } from 'node:module'
import { cachePreparedStatements, opaqueParameters } from '#app/helpers/sqlite_statements'

/* better-sqlite3 ships no types; these methods are enough here. */
type Statement = {
  all(...params: unknown[]): unknown[]
  run(...params: unknown[]): unknown
  safeIntegers(on: boolean): Statement
}
type Sqlite = { exec(sql: string): void; prepare(sql: string): Statement }
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
