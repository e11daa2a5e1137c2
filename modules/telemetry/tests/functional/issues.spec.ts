import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { isolate } from '#tests/helpers/database'
import { setIssueStatus } from '#telemetry/services/issues'
import { rawRows } from '#app/helpers/query_results'
import { isSqliteDialect } from '#app/helpers/sqlite_statements'
import { batch, errorEvent, event, ingestCompany } from '#telemetry/tests/helpers/telemetry'

test.group('Telemetry error issues', (group) => {
  isolate(group)

  const send = async (client: any, token: string, body: unknown) => {
    const response = await client.post('/api/v1/telemetry/batch').bearerToken(token).json(body)
    response.assertStatus(202)
  }

  test('groups the same error across ids, line numbers and installations', async ({
    client,
    assert,
  }) => {
    const a = await ingestCompany()
    const b = await ingestCompany()
    const variant = errorEvent({
      message: "Cannot read properties of undefined (reading 'name')",
      stack: errorEvent()
        .stack.replace(':42:17', ':57:3')
        .replace('app://renderer', 'C:\\Users\\ann\\AppData\\app'),
    })
    await send(client, a.token, batch([errorEvent(), errorEvent()]))
    await send(client, b.token, batch([variant], { appVersion: '1.5.0' }))
    await send(
      client,
      a.token,
      batch([errorEvent({ name: 'RangeError', message: 'Invalid array length' }), event()])
    )

    const issues = await db.from('telemetry_issues').orderBy('id')
    assert.lengthOf(issues, 2)
    const [typeError, rangeError] = issues
    assert.equal(typeError.name, 'TypeError')
    assert.equal(Number(typeError.events_count), 3)
    assert.equal(Number(typeError.installations_count), 2)
    assert.equal(typeError.first_version, '1.4.2')
    assert.equal(typeError.last_version, '1.5.0')
    assert.equal(typeError.culprit, 'renderRow src/table.ts')
    assert.equal(Number(rangeError.events_count), 1)
    const versions = await db
      .from('telemetry_issue_versions')
      .where('issue_id', typeError.id)
      .orderBy('app_version')
    assert.deepEqual(
      versions.map((v) => [v.app_version, Number(v.events_count)]),
      [
        ['1.4.2', 2],
        ['1.5.0', 1],
      ]
    )
    const linked = await db.from('telemetry_events').where('issue_id', typeError.id)
    assert.lengthOf(linked, 3)
  })

  test('a resolved issue seen again in a newer version reopens as a regression', async ({
    client,
    assert,
  }) => {
    const { token } = await ingestCompany()
    const installation = batch([]).installationId
    await send(
      client,
      token,
      batch([errorEvent()], { installationId: installation, appVersion: '1.4.2' })
    )
    const issue = await db.from('telemetry_issues').first()
    await setIssueStatus(issue.id, 'resolved', Date.now())

    await send(
      client,
      token,
      batch([errorEvent()], { installationId: installation, appVersion: '1.4.2' })
    )
    let row = await db.from('telemetry_issues').where('id', issue.id).first()
    assert.equal(row.status, 'resolved', 'the same version is the old bug, not a regression')
    assert.equal(Number(row.events_count), 2)

    await send(
      client,
      token,
      batch([errorEvent()], { installationId: installation, appVersion: '1.10.0' })
    )
    row = await db.from('telemetry_issues').where('id', issue.id).first()
    assert.equal(row.status, 'open')
    assert.isTrue(Boolean(row.regressed))
    assert.equal(row.last_version, '1.10.0')
  })

  test('an ignored issue stays ignored', async ({ client, assert }) => {
    const { token } = await ingestCompany()
    await send(client, token, batch([errorEvent()]))
    const issue = await db.from('telemetry_issues').first()
    await setIssueStatus(issue.id, 'ignored', Date.now())
    await send(client, token, batch([errorEvent()], { appVersion: '9.0.0' }))
    const row = await db.from('telemetry_issues').where('id', issue.id).first()
    assert.equal(row.status, 'ignored')
    assert.equal(Number(row.events_count), 2)
  })

  /*
  | Migration 0003: on PostgreSQL and SQLite only the events of an issue are in the index that
  | finds its occurrences (a usage event or a log writes one index fewer), and `issue_id = ?`
  | can use it; MySQL has no partial indexes and keeps the full one.
  */
  test("an issue's occurrences are found through an index of grouped errors only", async ({
    client,
    assert,
  }) => {
    const { token } = await ingestCompany()
    await send(client, token, batch([errorEvent(), event(), event()]))
    const issue = await db.from('telemetry_issues').firstOrFail()
    const occurrences =
      'SELECT id FROM telemetry_events WHERE issue_id = ? ORDER BY id DESC LIMIT 20'
    const dialect = db.connection().dialect.name
    if (dialect === 'postgres') {
      const indexes = rawRows<{ indexname: string; indexdef: string }>(
        await db.rawQuery(
          "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'telemetry_events'"
        )
      )
      const partial = indexes.find(
        (row) => row.indexname === 'telemetry_events_grouped_errors_index'
      )
      assert.match(partial?.indexdef ?? '', /\(issue_id, id\) WHERE \(issue_id IS NOT NULL\)$/)
      assert.notInclude(
        indexes.map((row) => row.indexname),
        'telemetry_events_issue_id_id_index'
      )
      const trx = await db.transaction()
      try {
        await trx.rawQuery('SET LOCAL enable_seqscan = off')
        const plan = rawRows<Record<string, string>>(
          await trx.rawQuery(`EXPLAIN ${occurrences}`, [issue.id])
        )
        assert.include(
          plan.map((row) => row['QUERY PLAN']).join('\n'),
          'telemetry_events_grouped_errors_index'
        )
      } finally {
        await trx.rollback()
      }
    } else if (isSqliteDialect(dialect)) {
      const indexes = rawRows<{ name: string; sql: string }>(
        await db.rawQuery(
          "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'telemetry_events'"
        )
      )
      const partial = indexes.find((row) => row.name === 'telemetry_events_grouped_errors_index')
      assert.match(partial?.sql ?? '', /\(issue_id, id\) WHERE issue_id IS NOT NULL$/)
      assert.notInclude(
        indexes.map((row) => row.name),
        'telemetry_events_issue_id_id_index'
      )
      const plan = rawRows<{ detail: string }>(
        await db.rawQuery(`EXPLAIN QUERY PLAN ${occurrences}`, [issue.id])
      )
      assert.include(
        plan.map((row) => row.detail).join('\n'),
        'telemetry_events_grouped_errors_index'
      )
    } else {
      const indexes = rawRows<{ INDEX_NAME: string }>(
        await db.rawQuery(
          "SELECT DISTINCT INDEX_NAME FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = 'telemetry_events'"
        )
      )
      assert.include(
        indexes.map((row) => row.INDEX_NAME),
        'telemetry_events_issue_id_id_index'
      )
    }
    const found = rawRows<{ id: number }>(await db.rawQuery(occurrences, [issue.id]))
    const errors = await db.from('telemetry_events').where('type', 'error').select('id')
    assert.deepEqual(
      found.map((row) => Number(row.id)),
      errors.map((row) => Number(row.id))
    )
  })
})
