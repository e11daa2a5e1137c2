import { test } from '@japa/runner'
import { gzipSync } from 'node:zlib'
import db from '@adonisjs/lucid/services/db'
import { isolate } from '#tests/helpers/database'
import { batch, event, gzipJson, ingestCompany, rawBatch } from '#telemetry/tests/helpers/telemetry'

/* Bodies the API client would not send: compressed, broken, oversized, deeply nested. */
test.group('Telemetry batch bodies', (group) => {
  isolate(group)

  const nothingStored = async (assert: any) => {
    assert.lengthOf(await db.from('telemetry_events'), 0)
    assert.lengthOf(await db.from('telemetry_installations'), 0)
  }

  test('accepts a gzip body', async ({ assert }) => {
    const { company, token } = await ingestCompany()
    const body = batch([event(), event()])
    const response = await rawBatch(token, gzipJson(body), { 'content-encoding': 'gzip' })
    assert.equal(response.status, 202)
    assert.deepEqual(response.body, { accepted: 2, duplicates: 0, rejected: [] })
    assert.lengthOf(await db.from('telemetry_events').where('company_id', company.id), 2)
  })

  test('refuses malformed JSON with 400 E_MALFORMED_JSON', async ({ assert }) => {
    const { token } = await ingestCompany()
    const response = await rawBatch(token, '{"installationId": "x", "events": [')
    assert.equal(response.status, 400)
    assert.equal(response.body.errors[0].code, 'E_MALFORMED_JSON')
    await nothingStored(assert)
  })

  test('refuses a body that is not gzip although it says so', async ({ assert }) => {
    const { token } = await ingestCompany()
    const response = await rawBatch(token, JSON.stringify(batch([event()])), {
      'content-encoding': 'gzip',
    })
    assert.equal(response.status, 400)
    assert.equal(response.body.errors[0].code, 'E_INVALID_ENCODING')
    await nothingStored(assert)
  })

  test('stops a gzip bomb at 1 MiB of output with 413', async ({ assert }) => {
    const { token } = await ingestCompany()
    /* 64 MiB of spaces compress to about 64 KiB. */
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, ' '))
    assert.isBelow(bomb.length, 200 * 1024)
    const response = await rawBatch(token, bomb, { 'content-encoding': 'gzip' })
    assert.equal(response.status, 413)
    assert.equal(response.body.errors[0].code, 'E_BATCH_TOO_LARGE')
    await nothingStored(assert)
  })

  test('refuses a plain body over 1 MiB with 413', async ({ assert }) => {
    const { token } = await ingestCompany()
    const huge = batch([event({ message: 'x'.repeat(1024 * 1024) })])
    const response = await rawBatch(token, JSON.stringify(huge))
    assert.equal(response.status, 413)
    assert.equal(response.body.errors[0].code, 'E_BATCH_TOO_LARGE')
    await nothingStored(assert)
  })

  test('refuses other media types and encodings with 415', async ({ assert }) => {
    const { token } = await ingestCompany()
    const text = await rawBatch(token, 'hello', { 'content-type': 'text/plain' })
    assert.equal(text.status, 415)
    assert.equal(text.body.errors[0].code, 'E_UNSUPPORTED_MEDIA_TYPE')
    const br = await rawBatch(token, JSON.stringify(batch([event()])), { 'content-encoding': 'br' })
    assert.equal(br.status, 415)
    assert.equal(br.body.errors[0].code, 'E_UNSUPPORTED_ENCODING')
    await nothingStored(assert)
  })

  test('deep nesting in props is a rejected event, not a crash', async ({ assert }) => {
    const { token } = await ingestCompany()
    const deep = `${'{"d":'.repeat(5000)}"bottom"${'}'.repeat(5000)}`
    const good = event()
    const text = JSON.stringify(batch([event({ props: '<deep>' }), good]))
    const response = await rawBatch(token, text.replace('"<deep>"', deep))
    assert.equal(response.status, 202)
    assert.equal(response.body.accepted, 1)
    assert.deepEqual(
      response.body.rejected.map((r: any) => r.code),
      ['E_INVALID_PROPS']
    )
    const rows = await db.from('telemetry_events')
    assert.deepEqual(
      rows.map((row) => row.event_id),
      [good.id]
    )
  })

  test('a JSON array or string is not a batch', async ({ assert }) => {
    const { token } = await ingestCompany()
    for (const body of ['[]', '"events"', 'null']) {
      const response = await rawBatch(token, body)
      assert.equal(response.status, 422)
      assert.equal(response.body.errors[0].code, 'E_VALIDATION_ERROR')
    }
    await nothingStored(assert)
  })

  test('an empty body is malformed JSON', async ({ assert }) => {
    const { token } = await ingestCompany()
    const response = await rawBatch(token, '')
    assert.equal(response.status, 400)
    assert.equal(response.body.errors[0].code, 'E_MALFORMED_JSON')
  })
})
