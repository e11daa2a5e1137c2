import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { CommitRolledBack } from '#app/helpers/transaction_commits'

/*
| A COMMIT the database refuses must fail the transaction (app/helpers/transaction_commits.ts):
| these run real transactions (no test-wide transaction around them) on the configured database.
*/
const dialect = db.connection().dialect.name
const deferrable = dialect !== 'mysql'

async function createProbeTables() {
  await dropProbeTables()
  await db.rawQuery('create table probe_parents (id integer primary key)')
  /* Checked at COMMIT, not at the INSERT: the one constraint a COMMIT itself can refuse. */
  await db.rawQuery(
    'create table probe_children (id integer primary key, parent_id integer not null references probe_parents (id) deferrable initially deferred)'
  )
}

async function dropProbeTables() {
  await db.rawQuery('drop table if exists probe_children')
  await db.rawQuery('drop table if exists probe_parents')
}

async function children() {
  const rows = await db.from('probe_children').select('id').orderBy('id')
  return rows.map((row) => Number(row.id))
}

test.group('Transactions: a refused COMMIT fails', (group) => {
  group.each.setup(async () => {
    if (deferrable) await createProbeTables()
    return () => (deferrable ? dropProbeTables() : undefined)
  })

  test('db.transaction(callback) rejects, runs no after-commit hook and stores nothing', async ({
    assert,
  }) => {
    const hooks: string[] = []
    const outcome = await db
      .transaction(async (trx) => {
        trx.after('commit', () => void hooks.push('commit'))
        await trx.insertQuery().table('probe_children').insert({ id: 1, parent_id: 999 })
        return 'stored'
      })
      .then(
        (value) => value,
        (error: Error) => error
      )
    assert.instanceOf(outcome, Error, 'the transaction answered as if its row were stored')
    assert.match((outcome as Error).message, /foreign key/i)
    assert.deepEqual(hooks, [])
    assert.deepEqual(await children(), [])

    /* The connection is usable again (on SQLite the refused COMMIT left its transaction open). */
    await db.transaction(async (trx) => {
      await trx.insertQuery().table('probe_parents').insert({ id: 7 })
      await trx.insertQuery().table('probe_children').insert({ id: 2, parent_id: 7 })
    })
    assert.deepEqual(await children(), [2])
  }).skip(!deferrable, 'MySQL and MariaDB check every constraint at its statement, not at COMMIT')

  test('trx.commit() throws the database error', async ({ assert }) => {
    const trx = await db.transaction()
    await trx.insertQuery().table('probe_children').insert({ id: 3, parent_id: 999 })
    await assert.rejects(() => trx.commit(), /foreign key/i)
    assert.isTrue(trx.isCompleted)
    assert.deepEqual(await children(), [])
    await db.table('probe_parents').insert({ id: 8 })
    await db.table('probe_children').insert({ id: 4, parent_id: 8 })
    assert.deepEqual(await children(), [4])
  }).skip(!deferrable, 'MySQL and MariaDB check every constraint at its statement, not at COMMIT')

  test('a transaction a caught statement error aborted throws at COMMIT (PostgreSQL)', async ({
    assert,
  }) => {
    const outcome = await db
      .transaction(async (trx) => {
        await trx.insertQuery().table('probe_parents').insert({ id: 5 })
        /* Caught and ignored: PostgreSQL has aborted the transaction all the same. */
        await trx.rawQuery('select 1 / 0').catch(() => null)
        return 'stored'
      })
      .then(
        (value) => value,
        (error: Error & { code?: string }) => error
      )
    assert.instanceOf(
      outcome,
      CommitRolledBack,
      'the transaction answered as if its row were stored'
    )
    assert.lengthOf(await db.from('probe_parents').where('id', 5), 0)
  }).skip(
    dialect !== 'postgres',
    'SQLite and MySQL undo only the failed statement, not the transaction'
  )

  test('a COMMIT lost with its connection throws', async ({ assert }) => {
    const trx = await db.transaction()
    const [row] = await trx
      .knexRawQuery(
        dialect === 'postgres' ? 'select pg_backend_pid() as id' : 'select connection_id() as id'
      )
      .then((result: any) => (dialect === 'postgres' ? result.rows : result[0]))
    /* From another connection: the server ends this transaction's session before its COMMIT. */
    await db.rawQuery(dialect === 'postgres' ? 'select pg_terminate_backend(?)' : 'kill ?', [
      Number(row.id),
    ])
    await assert.rejects(() => trx.commit())
    /* Lucid's pool drops the dead connection: the next transaction gets a live one. */
    const answer = await db.transaction((next) => next.rawQuery('select 1 as one'))
    assert.exists(answer)
  }).skip(
    dialect !== 'postgres' && dialect !== 'mysql',
    'an embedded SQLite database has no connection to lose'
  )
})
