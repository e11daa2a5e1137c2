import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import {
  MAX_PREPARED,
  answeredByServer,
  beginWith,
  connectionOf,
  copyRows,
  copyText,
  namePreparedStatements,
  prepared,
  refusedUnsent,
  send,
} from '#app/helpers/pg_statements'

/* A stand-in for a node-postgres connection: records what reaches `query`, answers as told. */
function fakeConnection(answer: (config: any) => Error | null = () => null) {
  const sent: any[] = []
  const connection = {
    query(config: any, callback?: (error: Error | null, result?: unknown) => void) {
      sent.push(config)
      callback?.(answer(config), { rows: [] })
    },
  }
  namePreparedStatements(connection)
  const run = (config: unknown) =>
    new Promise<Error | null>((resolve) => connection.query(config, (error: any) => resolve(error)))
  return { sent, run }
}

test.group('PostgreSQL statements: naming', () => {
  test('a marked text gets one name per connection; unmarked ones are left alone', async ({
    assert,
  }) => {
    const { sent, run } = fakeConnection()
    await run({ text: 'select $1', values: [1], prepare: true })
    await run({ text: 'select $1', values: [2], prepare: true })
    await run({ text: 'select $1 + 1', values: [3], prepare: true })
    await run({ text: 'select $1', values: [4] })
    await run('BEGIN')
    assert.deepEqual(sent, [
      { text: 'select $1', values: [1], name: 'tandem_1' },
      { text: 'select $1', values: [2], name: 'tandem_1' },
      { text: 'select $1 + 1', values: [3], name: 'tandem_2' },
      { text: 'select $1', values: [4] },
      'BEGIN',
    ])
  })

  test('at most MAX_PREPARED names per connection; later texts run unnamed', async ({ assert }) => {
    const { sent, run } = fakeConnection()
    for (let i = 0; i <= MAX_PREPARED; i++) await run({ text: `select ${i}`, prepare: true })
    await run({ text: 'select 0', prepare: true })
    assert.equal(sent[MAX_PREPARED - 1].name, `tandem_${MAX_PREPARED}`)
    assert.deepEqual(sent[MAX_PREPARED], { text: `select ${MAX_PREPARED}` })
    assert.equal(sent.at(-1).name, 'tandem_1', 'the named ones keep their names')
  })

  test('a statement whose table changed shape is prepared again under a new name', async ({
    assert,
  }) => {
    /* The second run of tandem_1 meets the changed table. */
    let runs = 0
    const { sent, run } = fakeConnection((config) => {
      if (config.name !== 'tandem_1' || ++runs !== 2) return null
      return Object.assign(new Error('cached plan must not change result type'), { code: '0A000' })
    })
    assert.isNull(await run({ text: 'select * from t', prepare: true }))
    const error = await run({ text: 'select * from t', prepare: true })
    assert.equal((error as any)?.code, '0A000', 'the failure reaches the caller')
    assert.isNull(await run({ text: 'select * from t', prepare: true }))
    assert.deepEqual(
      sent.map((config) => config.name),
      ['tandem_1', 'tandem_1', 'tandem_2']
    )
  })

  test('prepared() marks queries on PostgreSQL only', ({ assert }) => {
    const query = (dialect: string) => {
      const options: unknown[] = []
      return {
        options,
        client: { dialect: { name: dialect } } as any,
        knexQuery: { options: (value: unknown) => options.push(value) },
      }
    }
    assert.deepEqual(prepared(query('postgres')).options, [{ prepare: true }])
    assert.deepEqual(prepared(query('better-sqlite3')).options, [])
    assert.deepEqual(prepared(query('mysql')).options, [])
  })
})

const onPostgres = db.connection().dialect.name === 'postgres'
const NOT_PG = 'needs PostgreSQL: runs in the PostgreSQL stage of .ci/run (DB_CONNECTION=pg)'

test.group('PostgreSQL statements: rows for COPY', () => {
  test('copyText writes rows in COPY text format, escaping what would be a delimiter', ({
    assert,
  }) => {
    assert.equal(
      copyText(['plain', 1, null, 'tab\there', 12345678901234n, true, 'a\\b\nc\rd', false], 4),
      'plain\t1\t\\N\ttab\\there\n12345678901234\tt\ta\\\\b\\nc\\rd\tf\n'
    )
    assert.equal(copyText(['\\.', '\\N'], 2), '\\\\.\t\\\\N\n', 'data, not markers')
    assert.equal(copyText([], 3), '')
  })

  test('copyText refuses values that are not whole rows, or of a type it cannot write', ({
    assert,
  }) => {
    assert.throws(() => copyText(['a', 'b', 'c'], 2), /not rows of 2/)
    assert.throws(() => copyText([{ a: 1 }], 1), /cannot write a object/)
  })
})

test.group('PostgreSQL statements: on the server', () => {
  test('a marked statement is prepared once on its connection and answers as before', async ({
    assert,
  }) => {
    await db.transaction(async (trx) => {
      const first = await prepared(trx.rawQuery('select ?::int + 1 as n', [1]))
      const second = await prepared(trx.rawQuery('select ?::int + 1 as n', [41]))
      assert.deepEqual([first.rows[0].n, second.rows[0].n], [2, 42])
      await trx.rawQuery('select ?::int as unmarked', [1])
      const statements = await trx.rawQuery(
        "select name, statement from pg_prepared_statements where statement like 'select $1::int%'"
      )
      assert.lengthOf(statements.rows, 1, 'one server-side statement, none for the unmarked one')
      assert.equal(statements.rows[0].statement, 'select $1::int + 1 as n')
      assert.match(statements.rows[0].name, /^tandem_\d+$/)
    })
  }).skip(!onPostgres, NOT_PG)

  test('copyRows stores every value exactly; a duplicate key fails it and stores nothing', async ({
    assert,
  }) => {
    await db.transaction(async (trx) => {
      await trx.rawQuery(
        'create temporary table copy_probe (k text primary key, t text, n bigint, b boolean) on commit drop'
      )
      const tricky = ['tab\tnewline\nreturn\rback\\slash', '\\.', '\\N', 'naïve ✓ 😀', '']
      const values: unknown[] = tricky.flatMap((t, index) => [
        `k${index}`,
        t,
        2 ** 53 - index,
        index % 2 === 0,
      ])
      values.push('z-null', null, null, null)
      await copyRows(trx, 'copy_probe', ['k', 't', 'n', 'b'], values)
      const rows = await trx.rawQuery('select k, t, n, b from copy_probe order by k')
      assert.deepEqual(
        rows.rows.map((row: any) => [row.k, row.t, row.n === null ? null : Number(row.n), row.b]),
        [
          ...tricky.map((t, index) => [`k${index}`, t, 2 ** 53 - index, index % 2 === 0]),
          ['z-null', null, null, null],
        ]
      )

      await trx.rawQuery('savepoint probe')
      const error = await copyRows(
        trx,
        'copy_probe',
        ['k', 't', 'n', 'b'],
        ['k-new', 'x', 1, true, 'k0', 'again', 2, false]
      ).then(
        () => null,
        (failure) => failure
      )
      assert.equal(error?.code, '23505')
      await trx.rawQuery('rollback to savepoint probe')
      const count = await trx.rawQuery('select count(*)::int as n from copy_probe')
      assert.equal(count.rows[0].n, tricky.length + 1, 'nothing of the failed COPY stays')
    })
  }).skip(!onPostgres, NOT_PG)

  test('after a column is added, a listed select runs on; `select *` fails once, then sees it', async ({
    assert,
  }) => {
    await db.transaction(async (trx) => {
      await trx.rawQuery('create temporary table pg_statements_probe (a int) on commit drop')
      await trx.rawQuery('insert into pg_statements_probe (a) values (1)')
      const select = () => prepared(trx.rawQuery('select * from pg_statements_probe'))
      const named = () => prepared(trx.rawQuery('select a from pg_statements_probe'))
      assert.deepEqual((await select()).rows, [{ a: 1 }])
      assert.deepEqual((await named()).rows, [{ a: 1 }])
      await trx.rawQuery('alter table pg_statements_probe add column b int default 7')
      assert.deepEqual((await named()).rows, [{ a: 1 }], 'columns listed: unaffected')
      await trx.rawQuery('savepoint probe')
      const error = await select().then(
        () => null,
        (failure) => failure
      )
      assert.equal(error?.code, '0A000')
      await trx.rawQuery('rollback to savepoint probe')
      assert.deepEqual((await select()).rows, [{ a: 1, b: 7 }])
    })
  }).skip(!onPostgres, NOT_PG)

  test('statements sent behind a BEGIN go out before its answer and run inside the transaction', async ({
    assert,
  }) => {
    const client = db.connection()
    await client.rawQuery('create table if not exists pg_begin_probe (n int)')
    try {
      const seen: Array<{ pipelined: boolean; beginAnswered: boolean }> = []
      const { trx, followed } = await beginWith(client, async (connection) => {
        const pg = connection as any
        seen.push({ pipelined: pg.pipeline === true, beginAnswered: pg.readyForQuery === true })
        const inserted = send(connection, client, 'insert into pg_begin_probe (n) values (?)', [7])
        const read = send(connection, client, 'select count(*)::int as n from pg_begin_probe', [])
        return Promise.all([inserted, read])
      })
      const [, counted] = await followed
      assert.deepEqual(seen, [{ pipelined: true, beginAnswered: false }])
      assert.equal(counted[0].n, 1, 'the second statement saw the first one')
      await trx.rollback()
      const left = await client.rawQuery('select count(*)::int as n from pg_begin_probe')
      assert.equal(left.rows[0].n, 0, 'the rollback undid it: it ran inside the transaction')
    } finally {
      await client.rawQuery('drop table pg_begin_probe')
    }
  }).skip(!onPostgres, NOT_PG)

  test('statements refused before the BEGIN is answered reach the caller, not the process', async ({
    assert,
  }) => {
    /*
    | node-postgres refuses some statements on the client side (a value it cannot write) before
    | the BEGIN's answer is back: nothing awaited them yet, so the process saw an unhandled
    | rejection (which ends it by default).
    */
    const unhandled: unknown[] = []
    const record = (reason: unknown) => unhandled.push(reason)
    process.on('unhandledRejection', record)
    try {
      const refusal = new Error('refused before it went out')
      const { trx, followed } = await beginWith(db.connection(), async () => {
        throw refusal
      })
      await new Promise((resolve) => setImmediate(resolve))
      assert.strictEqual(await followed.catch((error) => error), refusal)
      await trx.rollback()
      assert.deepEqual(unhandled, [])
    } finally {
      process.off('unhandledRejection', record)
    }
  }).skip(!onPostgres, NOT_PG)

  test('send refuses at once a value it cannot write, and the connection runs on', async ({
    assert,
  }) => {
    await db.transaction(async (trx) => {
      const connection = await connectionOf(trx)
      const unwritable = {
        toPostgres() {
          throw new Error('cannot be written')
        },
      }
      assert.throws(
        () => send(connection, trx, 'select ?::text as t', [unwritable]),
        /cannot be written/
      )
      const rows = await send(connection, trx, 'select ?::text as t', ['fine'])
      assert.deepEqual(rows, [{ t: 'fine' }])
    })
  }).skip(!onPostgres, NOT_PG)

  test('statements sent in one tick leave in one socket write; a later tick still sends', async ({
    assert,
  }) => {
    await db.transaction(async (trx) => {
      const connection = await connectionOf(trx)
      const socket = (connection as any).connection.stream
      const writes: number[] = []
      const write = socket._write
      const writev = socket._writev
      socket._write = function (...args: any[]) {
        writes.push(1)
        return write.apply(this, args)
      }
      socket._writev = function (chunks: unknown[], ...rest: any[]) {
        writes.push(chunks.length)
        return writev.call(this, chunks, ...rest)
      }
      try {
        const together = [1, 2, 3].map((n) => send(connection, trx, 'select ?::int as n', [n]))
        assert.deepEqual(await Promise.all(together), [[{ n: 1 }], [{ n: 2 }], [{ n: 3 }]])
        assert.lengthOf(writes, 1, `writes: ${JSON.stringify(writes)}`)
        /* Another turn: corked again and released again, nothing left waiting. */
        assert.deepEqual(await send(connection, trx, 'select ?::int as n', [4]), [{ n: 4 }])
        assert.lengthOf(writes, 2)
      } finally {
        socket._write = write
        socket._writev = writev
      }
    })
  }).skip(!onPostgres, NOT_PG)

  test('refusedUnsent tells a statement node-postgres never sent from one that went out', async ({
    assert,
  }) => {
    const trx = await db.transaction()
    try {
      const connection = await connectionOf(trx)
      const run = (config: object) =>
        new Promise((resolve, reject) =>
          connection.query(config, (error: Error | null, result: unknown) =>
            error ? reject(error) : resolve(result)
          )
        )
      const first = run({ name: 'probe_unsent', text: 'select 1 as one' })
      /* The same name for another text: node-postgres refuses it on the next tick, unsent. */
      const clash = run({ name: 'probe_unsent', text: 'select 2 as two' })
      const refusal = await refusedUnsent(clash)
      assert.match(String((refusal?.error as Error)?.message), /Prepared statements must be unique/)
      assert.isNull(await refusedUnsent(first))
      /* A refusal by the server is an answer to a statement that went out: not "unsent". */
      const answered = send(connection, trx, 'select 1 / ? as x', [0])
      assert.isNull(await refusedUnsent(answered))
      await assert.rejects(() => answered, /division by zero/)
    } finally {
      await trx.rollback()
    }
  }).skip(!onPostgres, NOT_PG)

  test('answeredByServer tells a PostgreSQL error from a connection or driver one', async ({
    assert,
  }) => {
    const refused = await db
      .rawQuery('select 1 / 0')
      .then(() => null)
      .catch((error) => error)
    assert.isTrue(answeredByServer(refused))
    assert.isFalse(answeredByServer(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })))
    assert.isFalse(answeredByServer(new Error('Connection terminated unexpectedly')))
    assert.isFalse(answeredByServer(null))
  }).skip(!onPostgres, NOT_PG)
})
