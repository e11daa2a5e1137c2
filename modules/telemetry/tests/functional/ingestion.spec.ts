import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import { randomUUID } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import { isolate } from '#tests/helpers/database'
import { apiErrors } from '#tests/helpers/http'
import {
  batch,
  errorEvent,
  event,
  ingestCompany,
  storedEvents,
} from '#telemetry/tests/helpers/telemetry'

async function accepted(client: ApiClient, token: string, body: unknown) {
  const response = await client
    .post('/api/v1/telemetry/batch')
    .bearerToken(token)
    .json(body as any)
  response.assertStatus(202)
  return response
}

test.group('Telemetry ingestion', (group) => {
  isolate(group)

  test('stores a batch and answers 202 once it is committed', async ({ client, assert }) => {
    const { company, token } = await ingestCompany()
    const body = batch([
      event(),
      event({ type: 'log', level: 'info', name: 'sync', message: 'synced 3 files' }),
      errorEvent(),
    ])
    const response = await client.post('/api/v1/telemetry/batch').bearerToken(token).json(body)
    response.assertStatus(202)
    response.assertBody({ accepted: 3, duplicates: 0, rejected: [] })

    const rows = await storedEvents(company.id)
    assert.deepEqual(
      rows.map((row) => row.event_id),
      body.events.map((e) => e.id)
    )
    assert.equal(rows[0].type, 'event')
    assert.deepEqual(JSON.parse(rows[0].props), { screen: 'home', count: 1, beta: false })
    assert.equal(rows[1].message, 'synced 3 files')
    assert.equal(rows[2].app_version, '1.4.2')
    assert.equal(Number(rows[0].occurred_at), Date.parse(body.events[0].timestamp as string))

    const installation = await db
      .from('telemetry_installations')
      .where('uuid', body.installationId)
      .first()
    assert.equal(Number(installation.company_id), company.id)
    assert.equal(Number(installation.events_received), 3)
    assert.equal(installation.platform, 'windows')
    assert.equal(installation.os_version, '10.0.22631')
    assert.equal(installation.locale, 'en-US')
    assert.isNull(installation.last_user_id, 'an ingest-only token does not name a user')

    const [day] = await db
      .from('telemetry_installation_days')
      .where('installation_id', installation.id)
    assert.deepInclude(
      { events: Number(day.events), logs: Number(day.logs), errors: Number(day.errors) },
      { events: 3, logs: 1, errors: 1 }
    )
  })

  test('texts are stored exactly as sent, whatever characters they hold', async ({
    client,
    assert,
  }) => {
    /*
    | On PostgreSQL the events travel as one array per column (unnest): quotes, backslashes,
    | braces, commas, the word NULL and empty strings are what an array literal must escape.
    */
    const { company, token } = await ingestCompany()
    const texts = [
      'quote " and \\ backslash \\" both',
      '{braces},{"a":1}, commas, and a trailing \\',
      'NULL',
      '',
      'line one\nline two\ttab\r\n',
      'Grüße, 日本語, emoji 🚀 and a right-to-left \u202e mark',
      "it's a single quote'; DROP TABLE telemetry_events; --",
    ]
    const sent = texts.map((text, index) =>
      event({
        type: 'log',
        level: 'info',
        name: `n${index}`,
        message: text,
        sessionId: index % 2 ? null : `s${index}`,
        props: { text, index },
      })
    )
    sent.push(event({ props: undefined, sessionId: undefined }))
    const response = await accepted(client, token, batch(sent))
    response.assertBody({ accepted: sent.length, duplicates: 0, rejected: [] })

    const rows = await storedEvents(company.id)
    assert.deepEqual(
      rows.map((row) => row.event_id),
      sent.map((e) => e.id)
    )
    texts.forEach((text, index) => {
      assert.strictEqual(rows[index].message, text)
      assert.deepEqual(JSON.parse(rows[index].props), { text, index })
      assert.strictEqual(rows[index].session_id, index % 2 ? null : `s${index}`)
    })
    assert.isNull(rows.at(-1).props)
    assert.isNull(rows.at(-1).message)
    assert.isNull(rows.at(-1).session_id)
  })

  test('re-sent events are duplicates, stored once', async ({ client, assert }) => {
    const { company, token } = await ingestCompany()
    const first = batch([event(), event()])
    await accepted(client, token, first)
    const again = { ...first, events: [...first.events, event(), first.events[0]] }
    const response = await client.post('/api/v1/telemetry/batch').bearerToken(token).json(again)
    response.assertStatus(202)
    response.assertBody({ accepted: 1, duplicates: 3, rejected: [] })
    assert.lengthOf(await storedEvents(company.id), 3)
    const installation = await db
      .from('telemetry_installations')
      .where('uuid', first.installationId)
      .first()
    assert.equal(Number(installation.events_received), 3)
    const [day] = await db
      .from('telemetry_installation_days')
      .where('installation_id', installation.id)
    assert.equal(Number(day.events), 3)
  })

  test('keeps the valid events of a batch and reports each rejected one', async ({
    client,
    assert,
  }) => {
    const { company, token } = await ingestCompany()
    const good = event()
    const now = Date.now()
    const body = batch([
      { ...event(), id: 'not-a-uuid' },
      good,
      event({ type: 'metric' }),
      event({ timestamp: new Date(now - 25 * 3600_000).toISOString() }),
      event({ timestamp: now + 3600_000 }),
      event({ props: { nested: { deep: true } } }),
      event({ props: { list: [1, 2] } }),
      event({ message: 'x'.repeat(9000) }),
      event({ name: '' }),
      event({ level: 'loud' }),
      'just a string',
      event({ timestamp: 'yesterday' }),
      event({ props: { 'bad key!': 1 } }),
      event({ message: 'before\u0000after' }),
      event({ props: { path: 'C:\\x\u0000' } }),
    ])
    const response = await client.post('/api/v1/telemetry/batch').bearerToken(token).json(body)
    response.assertStatus(202)
    assert.equal(response.body().accepted, 1)
    assert.deepEqual(
      response.body().rejected.map((r: any) => [r.index, r.code]),
      [
        [0, 'E_INVALID_EVENT_ID'],
        [2, 'E_INVALID_EVENT_TYPE'],
        [3, 'E_TIMESTAMP_OUT_OF_RANGE'],
        [4, 'E_TIMESTAMP_OUT_OF_RANGE'],
        [5, 'E_INVALID_PROPS'],
        [6, 'E_INVALID_PROPS'],
        [7, 'E_FIELD_TOO_LONG'],
        [8, 'E_INVALID_EVENT_NAME'],
        [9, 'E_INVALID_LEVEL'],
        [10, 'E_INVALID_EVENT'],
        [11, 'E_INVALID_TIMESTAMP'],
        [12, 'E_INVALID_PROPS'],
        [13, 'E_INVALID_FIELD'],
        [14, 'E_INVALID_PROPS'],
      ]
    )
    for (const rejection of response.body().rejected) assert.isString(rejection.message)
    const rows = await storedEvents(company.id)
    assert.deepEqual(
      rows.map((row) => row.event_id),
      [good.id]
    )
  })

  test('a props key named like an error field is just a prop', async ({ client, assert }) => {
    const { company, token } = await ingestCompany()
    const body = batch([event({ props: { code: 'E42', message: 'hi' } })])
    await accepted(client, token, body)
    const [row] = await storedEvents(company.id)
    assert.deepEqual(JSON.parse(row.props), { code: 'E42', message: 'hi' })
  })

  test('refuses a wrong envelope with 422 and stores nothing', async ({ client, assert }) => {
    const { token } = await ingestCompany()
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ installationId: 'abc' }, 'installationId'],
      [{ appVersion: 7 }, 'appVersion'],
      [{ platform: 'Win dows!' }, 'platform'],
      [{ events: 'none' }, 'events'],
      [{ osVersion: 'x'.repeat(100) }, 'osVersion'],
    ]
    for (const [overrides, field] of cases) {
      const response = await client
        .post('/api/v1/telemetry/batch')
        .bearerToken(token)
        .json(batch([event()], overrides))
      response.assertStatus(422)
      assert.equal(apiErrors(response)[0].code, 'E_VALIDATION_ERROR')
      assert.equal(apiErrors(response)[0].field, field)
    }
    assert.lengthOf(await storedEvents(), 0)
    assert.lengthOf(await db.from('telemetry_installations'), 0)
  })

  test('refuses more than 1,000 events with 413', async ({ client, assert }) => {
    const { token } = await ingestCompany()
    const events = Array.from({ length: 1001 }, () => ({
      id: randomUUID(),
      type: 'event',
      name: 'e',
      timestamp: Date.now(),
    }))
    const response = await client
      .post('/api/v1/telemetry/batch')
      .bearerToken(token)
      .json(batch(events))
    response.assertStatus(413)
    assert.equal(apiErrors(response)[0].code, 'E_TOO_MANY_EVENTS')
    assert.lengthOf(await storedEvents(), 0)
  })

  test('needs a token with telemetry:write', async ({ client, assert }) => {
    const anonymous = await client.post('/api/v1/telemetry/batch').json(batch([event()]))
    anonymous.assertStatus(401)
    const { token } = await ingestCompany(['credits:read'])
    const wrong = await client
      .post('/api/v1/telemetry/batch')
      .bearerToken(token)
      .json(batch([event()]))
    wrong.assertStatus(403)
    assert.lengthOf(await storedEvents(), 0)
  })

  test("refuses another company's installation and stores nothing", async ({ client, assert }) => {
    const first = await ingestCompany()
    const second = await ingestCompany()
    const body = batch([event()])
    await accepted(client, first.token, body)
    const response = await client
      .post('/api/v1/telemetry/batch')
      .bearerToken(second.token)
      .json({ ...body, events: [event()] })
    response.assertStatus(403)
    assert.equal(apiErrors(response)[0].code, 'E_INSTALLATION_FORBIDDEN')
    assert.lengthOf(await storedEvents(second.company.id), 0)
    assert.lengthOf(await storedEvents(first.company.id), 1)
  })

  test('a token that can do more than ingest records its user as the last user', async ({
    client,
    assert,
  }) => {
    const { owner, token } = await ingestCompany(['telemetry:write', 'credits:read'])
    const body = batch([event()])
    await accepted(client, token, body)
    const installation = await db
      .from('telemetry_installations')
      .where('uuid', body.installationId)
      .first()
    assert.equal(Number(installation.last_user_id), owner.id)
  })
})
