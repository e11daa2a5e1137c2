import { createHash } from 'node:crypto'
import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import db from '@adonisjs/lucid/services/db'
import { isolate } from '#tests/helpers/database'
import { apiErrors } from '#tests/helpers/http'
import { CreditsAudit } from '#credits/services/credits_audit'
import { apiCompany, entries, grant } from '#credits/tests/helpers/credits'
import { connected, nextEvent, silence, socketsFor } from '#tests/helpers/realtime'

const BATCH = '/api/v1/credits/consume/batch'
const uses = (...amounts: number[]) =>
  amounts.map((amount, i) => ({ amount, reason: `use ${i}`, metadata: { n: i } }))
/* The same batch sent with an Idempotency-Key, as often as it is called. */
const sender = (client: ApiClient, token: string, key: string, consumes: unknown[]) => () =>
  client.post(BATCH).bearerToken(token).header('idempotency-key', key).json({ consumes })

test.group('Credits API: batches of consumes', (group) => {
  isolate(group)
  group.each.teardown(async () => {
    const report = await new CreditsAudit().run()
    if (report.violations.length) throw new Error(JSON.stringify(report.violations))
  })

  test('each item is a consume of its own, in order, answered in order', async ({
    client,
    assert,
  }) => {
    const { company, token } = await apiCompany()
    const soon = await grant(company.id, 5, { expiresAt: Date.now() + 86_400_000 })
    const forever = await grant(company.id, 100)
    const response = await client
      .post(BATCH)
      .bearerToken(token)
      .json({ consumes: uses(3, 4, 10) })
    response.assertStatus(200)
    const body = response.body()
    assert.include(body, { consumed: 3, refused: 0, balance: 88, available: 88 })
    assert.deepEqual(
      body.results.map((r: any) => [r.status, r.balance, r.available]),
      [
        [201, 102, 102],
        [201, 98, 98],
        [201, 88, 88],
      ]
    )
    const stored = await entries(company.id, 'consume')
    assert.deepEqual(
      stored.map((entry: any) => [
        Number(entry.id),
        Number(entry.amount),
        Number(entry.balance_after),
        entry.reason,
      ]),
      body.results.map((r: any, i: number) => [
        r.transactionId,
        -[3, 4, 10][i],
        r.balance,
        `use ${i}`,
      ])
    )
    assert.deepEqual(JSON.parse(stored[1].metadata), { n: 1 })
    assert.equal(stored[0].actor_type, 'token')
    /* The grant that expires first is spent first, across the items. */
    const balance = await client.get('/api/v1/credits/balance').bearerToken(token)
    const remaining = Object.fromEntries(balance.body().grants.map((g: any) => [g.id, g.remaining]))
    assert.deepEqual(remaining, { [forever.result.grantId]: 88 })
    assert.notProperty(remaining, String(soon.result.grantId))
  })

  test('an item that does not fit gets its 402; the items around it stand', async ({
    client,
    assert,
  }) => {
    const { company, token } = await apiCompany()
    await grant(company.id, 10)
    const response = await client
      .post(BATCH)
      .bearerToken(token)
      .json({ consumes: uses(4, 7, 3, 5) })
    response.assertStatus(200)
    const { results, ...summary } = response.body()
    assert.deepEqual(summary, { consumed: 2, refused: 2, balance: 3, available: 3 })
    assert.deepEqual(
      results.map((r: any) => r.status),
      [201, 402, 201, 402]
    )
    assert.equal(results[1].error.code, 'E_INSUFFICIENT_CREDITS')
    assert.notProperty(results[1], 'transactionId')
    assert.deepEqual(
      (await entries(company.id, 'consume')).map((entry: any) => entry.reason),
      ['use 0', 'use 2']
    )
  })

  test('a batch of which nothing fits is still answered item by item', async ({
    client,
    assert,
  }) => {
    const { company, token } = await apiCompany()
    await grant(company.id, 2)
    const response = await client
      .post(BATCH)
      .bearerToken(token)
      .json({ consumes: uses(3, 5) })
    response.assertStatus(200)
    assert.include(response.body(), { consumed: 0, refused: 2, balance: 2, available: 2 })
    assert.lengthOf(await entries(company.id, 'consume'), 0)
  })

  test('an invalid batch is refused whole, with the field of the bad item', async ({
    client,
    assert,
  }) => {
    const { company, token } = await apiCompany()
    await grant(company.id, 1000)
    const cases: Array<[unknown, string]> = [
      [{ consumes: [] }, 'consumes'],
      [{ consumes: uses(...Array.from({ length: 101 }, () => 1)) }, 'consumes'],
      [
        {
          consumes: [
            { amount: 1, reason: 'ok' },
            { amount: 1.5, reason: 'x' },
          ],
        },
        'consumes.1.amount',
      ],
      [
        {
          consumes: [
            { amount: 1, reason: 'ok' },
            { amount: 1, reason: ' ' },
          ],
        },
        'consumes.1.reason',
      ],
      [{ consumes: [{ amount: 1, reason: 'ok' }, 'x'] }, 'consumes.1'],
      [{ amount: 1, reason: 'not a batch' }, 'consumes'],
    ]
    for (const [body, field] of cases) {
      const response = await client.post(BATCH).bearerToken(token).json(body)
      response.assertStatus(422)
      assert.equal(apiErrors(response)[0].code, 'E_VALIDATION_ERROR')
      assert.equal(apiErrors(response)[0].field, field, JSON.stringify(body).slice(0, 80))
    }
    /* 100 items is the most one batch holds. */
    const full = await client
      .post(BATCH)
      .bearerToken(token)
      .json({ consumes: uses(...Array.from({ length: 100 }, () => 1)) })
    full.assertStatus(200)
    assert.equal(full.body().consumed, 100)
    assert.lengthOf(await entries(company.id, 'consume'), 100)
  })

  test('spending in batches needs credits:write', async ({ client, assert }) => {
    const { company, token } = await apiCompany(['credits:read'])
    await grant(company.id, 10)
    const refused = await client
      .post(BATCH)
      .bearerToken(token)
      .json({ consumes: uses(1) })
    refused.assertStatus(403)
    assert.equal(apiErrors(refused)[0].code, 'E_MISSING_ABILITY')
    ;(await client.post(BATCH).json({ consumes: uses(1) })).assertStatus(401)
    assert.lengthOf(await entries(company.id, 'consume'), 0)
  })

  test('the same Idempotency-Key and batch answers the first response and spends once', async ({
    client,
    assert,
  }) => {
    const { company, token } = await apiCompany()
    await grant(company.id, 10)
    const send = sender(client, token, 'sync-1', uses(2, 20, 3))
    const first = await send()
    const second = await send()
    first.assertStatus(200)
    second.assertStatus(200)
    assert.deepEqual(second.body(), first.body())
    assert.equal(second.header('idempotent-replayed'), 'true')
    const stored = await entries(company.id, 'consume')
    assert.deepEqual(
      stored.map((entry: any) => entry.idempotency_key),
      ['sync-1 0', 'sync-1 2']
    )
  })

  test('sent again after the answer was lost, stored items replay and refused ones are tried again', async ({
    client,
    assert,
  }) => {
    const { company, token } = await apiCompany()
    await grant(company.id, 10)
    const send = sender(client, token, 'sync-2', uses(4, 20, 3))
    const first = await send()
    assert.deepEqual(
      first.body().results.map((r: any) => r.status),
      [201, 402, 201]
    )
    /* As after a crash between the commit and the stored response: only the entries know. */
    await db.from('idempotency_keys').where('scope', `company:${company.id}`).delete()
    await grant(company.id, 20)

    const again = await send()
    again.assertStatus(200)
    assert.isUndefined(again.header('idempotent-replayed'))
    const results = again.body().results
    assert.deepEqual(
      results.map((r: any) => r.status),
      [201, 201, 201]
    )
    assert.equal(results[0].transactionId, first.body().results[0].transactionId)
    assert.equal(results[2].transactionId, first.body().results[2].transactionId)
    assert.include(again.body(), { consumed: 3, balance: 3 })
    assert.deepEqual(
      (await entries(company.id, 'consume')).map((entry: any) => [
        entry.idempotency_key,
        Number(entry.amount),
      ]),
      [
        ['sync-2 0', -4],
        ['sync-2 2', -3],
        ['sync-2 1', -20],
      ]
    )
  })

  test('sent again changed under the same key, after the answer was lost: refused, nothing written', async ({
    client,
    assert,
  }) => {
    const { company, token } = await apiCompany()
    await grant(company.id, 100)
    ;(await sender(client, token, 'sync-3', uses(4, 5))()).assertStatus(200)
    await db.from('idempotency_keys').where('scope', `company:${company.id}`).delete()
    const before = await entries(company.id)

    /* The client dropped the first item, thinking it went through: item 0 is now another use. */
    const changed = await sender(client, token, 'sync-3', [
      { amount: 5, reason: 'use 1' },
      { amount: 6, reason: 'use 2' },
    ])()
    changed.assertStatus(422)
    assert.deepInclude(apiErrors(changed)[0], {
      code: 'E_IDEMPOTENCY_KEY_REUSED',
      field: 'consumes.0',
    })
    assert.deepEqual(await entries(company.id), before)
    /* The same batch as first sent still replays. */
    const again = await sender(client, token, 'sync-3', uses(4, 5))()
    again.assertStatus(200)
    assert.include(again.body(), { consumed: 2, balance: 91 })
    assert.deepEqual(await entries(company.id), before)
  })

  test('a key too long to carry an item number is stored as its SHA-256', async ({
    client,
    assert,
  }) => {
    const { company, token } = await apiCompany()
    await grant(company.id, 10)
    const key = 'k'.repeat(255)
    const response = await client
      .post(BATCH)
      .bearerToken(token)
      .header('idempotency-key', key)
      .json({ consumes: uses(1, 1) })
    response.assertStatus(200)
    const hash = createHash('sha256').update(key).digest('hex')
    assert.deepEqual(
      (await entries(company.id, 'consume')).map((entry: any) => entry.idempotency_key),
      [`sha256 ${hash} 0`, `sha256 ${hash} 1`]
    )
  })
})

test.group('Credits API: batches and the live balance', (group) => {
  isolate(group)
  const socket = socketsFor(group)

  test('a batch pushes the balance once, as it is after the batch', async ({ client, assert }) => {
    const { company, token } = await apiCompany()
    await grant(company.id, 100)
    const mine = socket({ token })
    await connected(mine)
    const pushed = nextEvent(mine, 'credits.balance')
    const response = await client
      .post(BATCH)
      .bearerToken(token)
      .json({ consumes: uses(...Array.from({ length: 20 }, () => 2)) })
    response.assertStatus(200)
    assert.deepEqual(await pushed, { companyId: company.id, balance: 60, held: 0, available: 60 })
    assert.isTrue(await silence(mine, 'credits.balance', 500), 'a second push for one batch')
  })
})
