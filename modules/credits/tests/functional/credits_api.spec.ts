import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { isolate, refusingRows } from '#tests/helpers/database'
import { apiErrors } from '#tests/helpers/http'
import { CreditsAudit } from '#credits/services/credits_audit'
import ExpireCredits from '#credits/jobs/expire_credits'
import { apiCompany, entries, fakeClock, grant } from '#credits/tests/helpers/credits'
import { connected, nextEvent, silence, socketsFor } from '#tests/helpers/realtime'

const DAY = 86_400_000

test.group('Credits API', (group) => {
  isolate(group)
  group.each.teardown(async () => {
    const report = await new CreditsAudit().run()
    if (report.violations.length) throw new Error(JSON.stringify(report.violations))
  })

  test('a new company has nothing to spend', async ({ client }) => {
    const { token } = await apiCompany()
    const response = await client.get('/api/v1/credits/balance').bearerToken(token)
    response.assertStatus(200)
    response.assertBody({ balance: 0, held: 0, available: 0, grants: [] })
  })

  test('consumes from the grant that expires soonest, then by priority', async ({
    client,
    assert,
  }) => {
    const { company, token } = await apiCompany()
    const now = Date.now()
    const forever = await grant(company.id, 100)
    const late = await grant(company.id, 10, { expiresAt: now + 30 * DAY })
    const soonLow = await grant(company.id, 10, { expiresAt: now + DAY, priority: 5 })
    const soonHigh = await grant(company.id, 10, { expiresAt: now + DAY, priority: 1 })

    const response = await client
      .post('/api/v1/credits/consume')
      .bearerToken(token)
      .json({ amount: 15, reason: 'render', metadata: { job: 'r-1' } })
    response.assertStatus(201)
    assert.equal(response.body().balance, 115)
    assert.equal(response.body().available, 115)

    const balance = await client.get('/api/v1/credits/balance').bearerToken(token)
    const remaining = Object.fromEntries(balance.body().grants.map((g: any) => [g.id, g.remaining]))
    assert.deepEqual(remaining, {
      [soonLow.result.grantId]: 5,
      [late.result.grantId]: 10,
      [forever.result.grantId]: 100,
    })
    assert.notProperty(remaining, String(soonHigh.result.grantId))
    const [consume] = await entries(company.id, 'consume')
    assert.equal(Number(consume.id), response.body().transactionId)
    assert.equal(Number(consume.amount), -15)
    assert.equal(consume.actor_type, 'token')
    assert.deepEqual(JSON.parse(consume.metadata), { job: 'r-1' })
  })

  test('refuses a consume larger than what is available and changes nothing', async ({
    client,
    assert,
  }) => {
    const { company, token } = await apiCompany()
    await grant(company.id, 10)
    const before = await entries(company.id)
    const response = await client
      .post('/api/v1/credits/consume')
      .bearerToken(token)
      .json({ amount: 11, reason: 'too much' })
    response.assertStatus(402)
    assert.equal(apiErrors(response)[0].code, 'E_INSUFFICIENT_CREDITS')
    assert.deepEqual(await entries(company.id), before)
    const balance = await client.get('/api/v1/credits/balance').bearerToken(token)
    assert.equal(balance.body().balance, 10)
  })

  test('inside another transaction, a refused end statement rolls back only its group', async ({
    client,
    assert,
  }) => {
    const { company, token } = await apiCompany()
    await grant(company.id, 10)
    /* Refuses one consume's entry, which only the group's end statement inserts (PostgreSQL). */
    await refusingRows(
      { table: 'credit_entries', column: 'reason', value: 'refused at the end', at: 'insert' },
      async () => {
        const refused = await client
          .post('/api/v1/credits/consume')
          .bearerToken(token)
          .json({ amount: 1, reason: 'refused at the end' })
        assert.isAtLeast(refused.status(), 500)
        /* The test's own transaction goes on: the group was a savepoint, rolled back on its own. */
        const next = await client
          .post('/api/v1/credits/consume')
          .bearerToken(token)
          .json({ amount: 2, reason: 'next' })
        next.assertStatus(201)
        assert.equal(next.body().balance, 8)
        assert.deepEqual(
          (await entries(company.id, 'consume')).map((entry: any) => entry.reason),
          ['next']
        )
      }
    )
  }).skip(
    db.connection().dialect.name !== 'postgres',
    "the group's end statement is PostgreSQL's (DB_CONNECTION=pg)"
  )

  test('rejects amounts that are not positive whole numbers', async ({ client, assert }) => {
    const { company, token } = await apiCompany()
    await grant(company.id, 10)
    for (const amount of [0, -1, 1.5, '3', 2e12]) {
      const response = await client
        .post('/api/v1/credits/consume')
        .bearerToken(token)
        .json({ amount, reason: 'x' })
      response.assertStatus(422)
      assert.equal(apiErrors(response)[0].field, 'amount')
    }
    assert.lengthOf(await entries(company.id, 'consume'), 0)
  })

  test('a reason with a NUL character is refused; a lone surrogate is stored as U+FFFD', async ({
    client,
    assert,
  }) => {
    const { company, token } = await apiCompany()
    await grant(company.id, 10)
    const refused = await client
      .post('/api/v1/credits/consume')
      .bearerToken(token)
      .json({ amount: 1, reason: 'nul \u0000 inside' })
    refused.assertStatus(422)
    assert.equal(apiErrors(refused)[0].field, 'reason')
    assert.lengthOf(await entries(company.id, 'consume'), 0)

    /* PostgreSQL: the consume's entry is written at its group's end, inside a JSON parameter. */
    const kept = await client
      .post('/api/v1/credits/consume')
      .bearerToken(token)
      .json({ amount: 1, reason: 'half \ud83d of an emoji', metadata: { note: 'x\udc00' } })
    kept.assertStatus(201)
    assert.equal(kept.body().balance, 9)
    const [entry] = await entries(company.id, 'consume')
    assert.equal(entry.reason, 'half \ufffd of an emoji')
    assert.equal(Number(entry.id), kept.body().transactionId)
  })

  test('a hold reserves credits; capture takes part of it and releases the rest', async ({
    client,
    assert,
  }) => {
    const { company, token } = await apiCompany()
    await grant(company.id, 100)
    const hold = await client
      .post('/api/v1/credits/holds')
      .bearerToken(token)
      .json({ amount: 40, ttlSeconds: 600, reason: 'render job' })
    hold.assertStatus(201)
    assert.equal(hold.body().available, 60)

    const balance = await client.get('/api/v1/credits/balance').bearerToken(token)
    assert.include(balance.body(), { balance: 100, held: 40, available: 60 })

    const capture = await client
      .post(`/api/v1/credits/holds/${hold.body().holdId}/capture`)
      .bearerToken(token)
      .json({ amount: 25 })
    capture.assertStatus(200)
    assert.include(capture.body(), { captured: 25, released: 15, balance: 75, available: 75 })
    assert.deepEqual(
      (await entries(company.id)).map((e: any) => [e.type, Number(e.amount), Number(e.held_after)]),
      [
        ['grant', 100, 0],
        ['hold', 0, 40],
        ['capture', -25, 15],
        ['release', 0, 0],
      ]
    )
  })

  test('refuses to capture more than held, or a hold already settled', async ({
    client,
    assert,
  }) => {
    const { company, token } = await apiCompany()
    await grant(company.id, 100)
    const { holdId } = (
      await client
        .post('/api/v1/credits/holds')
        .bearerToken(token)
        .json({ amount: 10, ttlSeconds: 60, reason: 'x' })
    ).body()
    const url = `/api/v1/credits/holds/${holdId}`

    const tooMuch = await client.post(`${url}/capture`).bearerToken(token).json({ amount: 11 })
    tooMuch.assertStatus(409)
    assert.equal(apiErrors(tooMuch)[0].code, 'E_CAPTURE_EXCEEDS_HOLD')

    ;(await client.post(`${url}/release`).bearerToken(token).json({})).assertStatus(200)
    const again = await client.post(`${url}/capture`).bearerToken(token).json({ amount: 1 })
    again.assertStatus(409)
    assert.equal(apiErrors(again)[0].code, 'E_HOLD_RELEASED')
    const twice = await client.post(`${url}/release`).bearerToken(token).json({})
    assert.equal(apiErrors(twice)[0].code, 'E_HOLD_RELEASED')

    const missing = await client.post('/api/v1/credits/holds/999999/release').bearerToken(token)
    missing.assertStatus(404)
    assert.equal(apiErrors(missing)[0].code, 'E_HOLD_NOT_FOUND')
  })

  test('an expired hold gives its credits back by itself', async ({ client, assert }) => {
    const { clock, restore } = fakeClock()
    try {
      const { company, token } = await apiCompany()
      await grant(company.id, 50)
      const { holdId } = (
        await client
          .post('/api/v1/credits/holds')
          .bearerToken(token)
          .json({ amount: 30, ttlSeconds: 60, reason: 'x' })
      ).body()
      clock.jump(61_000)
      const balance = await client.get('/api/v1/credits/balance').bearerToken(token)
      assert.include(balance.body(), { balance: 50, held: 0, available: 50 })
      const capture = await client
        .post(`/api/v1/credits/holds/${holdId}/capture`)
        .bearerToken(token)
        .json({ amount: 30 })
      capture.assertStatus(409)
      assert.equal(apiErrors(capture)[0].code, 'E_HOLD_EXPIRED')
      const [release] = await entries(company.id, 'release')
      assert.equal(release.actor_type, 'system')
    } finally {
      restore()
    }
  })

  test('expired grants leave the balance, before and after the sweep job', async ({
    client,
    assert,
  }) => {
    const { clock, restore } = fakeClock()
    try {
      const { company, token } = await apiCompany()
      await grant(company.id, 20, { expiresAt: clock.now() + DAY })
      await grant(company.id, 5)
      ;(
        await client
          .post('/api/v1/credits/consume')
          .bearerToken(token)
          .json({ amount: 8, reason: 'x' })
      ).assertStatus(201)
      clock.jump(DAY + 1)

      const job = await app.container.make(ExpireCredits)
      const balance = await client.get('/api/v1/credits/balance').bearerToken(token)
      assert.include(balance.body(), { balance: 5, available: 5 })
      const [expired] = await entries(company.id, 'expire')
      assert.equal(Number(expired.amount), -12)
      assert.deepEqual(await job.handle(), { accounts: 0 })
      assert.lengthOf(await entries(company.id, 'expire'), 1)

      const refused = await client
        .post('/api/v1/credits/consume')
        .bearerToken(token)
        .json({ amount: 6, reason: 'x' })
      refused.assertStatus(402)
    } finally {
      restore()
    }
  })

  test('the scheduled job sweeps accounts nobody touches', async ({ assert }) => {
    const { clock, restore } = fakeClock()
    try {
      const { company } = await apiCompany()
      await grant(company.id, 7, { expiresAt: clock.now() + 1000 })
      clock.jump(1001)
      const job = await app.container.make(ExpireCredits)
      assert.deepEqual(await job.handle(), { accounts: 1 })
      const [expired] = await entries(company.id, 'expire')
      assert.equal(Number(expired.amount), -7)
      assert.equal(Number(expired.balance_after), 0)
    } finally {
      restore()
    }
  })

  test('lists the ledger newest first, by type, with a cursor', async ({ client, assert }) => {
    const { company, token } = await apiCompany()
    await grant(company.id, 100)
    for (let i = 1; i <= 5; i++)
      await client
        .post('/api/v1/credits/consume')
        .bearerToken(token)
        .json({ amount: i, reason: `use ${i}` })

    const first = await client
      .get('/api/v1/credits/transactions')
      .qs({ type: 'consume', limit: 3 })
      .bearerToken(token)
    first.assertStatus(200)
    assert.deepEqual(
      first.body().data.map((e: any) => e.amount),
      [-5, -4, -3]
    )
    const second = await client
      .get('/api/v1/credits/transactions')
      .qs({ type: 'consume', limit: 3, cursor: first.body().nextCursor })
      .bearerToken(token)
    assert.deepEqual(
      second.body().data.map((e: any) => e.amount),
      [-2, -1]
    )
    assert.isNull(second.body().nextCursor)
    const bad = await client
      .get('/api/v1/credits/transactions')
      .qs({ cursor: 'nope' })
      .bearerToken(token)
    bad.assertStatus(422)
  })

  test('reading needs credits:read and spending needs credits:write', async ({
    client,
    assert,
  }) => {
    const { company, token } = await apiCompany(['credits:read'])
    await grant(company.id, 10)
    ;(await client.get('/api/v1/credits/balance').bearerToken(token)).assertStatus(200)
    const refused = await client
      .post('/api/v1/credits/consume')
      .bearerToken(token)
      .json({ amount: 1, reason: 'x' })
    refused.assertStatus(403)
    assert.equal(apiErrors(refused)[0].code, 'E_MISSING_ABILITY')
    ;(await client.get('/api/v1/credits/balance')).assertStatus(401)
  })
})

test.group('Credits API: Idempotency-Key', (group) => {
  isolate(group)

  test('the same key and body returns the first response and spends once', async ({
    client,
    assert,
  }) => {
    const { company, token } = await apiCompany()
    await grant(company.id, 10)
    const send = () =>
      client
        .post('/api/v1/credits/consume')
        .bearerToken(token)
        .header('idempotency-key', 'order-1')
        .json({ amount: 3, reason: 'r' })
    const first = await send()
    const second = await send()
    first.assertStatus(201)
    second.assertStatus(201)
    assert.deepEqual(second.body(), first.body())
    assert.equal(second.header('idempotent-replayed'), 'true')
    assert.lengthOf(await entries(company.id, 'consume'), 1)
  })

  test('a replayed error stays the same error', async ({ client, assert }) => {
    const { company, token } = await apiCompany()
    const send = () =>
      client
        .post('/api/v1/credits/consume')
        .bearerToken(token)
        .header('idempotency-key', 'order-2')
        .json({ amount: 3, reason: 'r' })
    ;(await send()).assertStatus(402)
    await grant(company.id, 10)
    const again = await send()
    again.assertStatus(402)
    assert.equal(again.header('idempotent-replayed'), 'true')
    assert.lengthOf(await entries(company.id, 'consume'), 0)
  })

  test('the same key with another body is refused', async ({ client, assert }) => {
    const { company, token } = await apiCompany()
    await grant(company.id, 10)
    const send = (amount: number) =>
      client
        .post('/api/v1/credits/consume')
        .bearerToken(token)
        .header('idempotency-key', 'order-3')
        .json({ amount, reason: 'r' })
    ;(await send(1)).assertStatus(201)
    const other = await send(2)
    other.assertStatus(422)
    assert.equal(apiErrors(other)[0].code, 'E_IDEMPOTENCY_KEY_REUSED')
    assert.lengthOf(await entries(company.id, 'consume'), 1)
  })

  test('a validation error does not use up the key', async ({ client, assert }) => {
    const { company, token } = await apiCompany()
    await grant(company.id, 10)
    const send = (body: object) =>
      client
        .post('/api/v1/credits/consume')
        .bearerToken(token)
        .header('idempotency-key', 'order-4')
        .json(body)
    ;(await send({ amount: 1 })).assertStatus(422)
    const fixed = await send({ amount: 1, reason: 'fixed' })
    assert.equal(fixed.status(), 201, JSON.stringify(fixed.body()))
    assert.lengthOf(await entries(company.id, 'consume'), 1)
  })

  test('keys belong to the company: another company may use the same one', async ({
    client,
    assert,
  }) => {
    const a = await apiCompany()
    const b = await apiCompany()
    await grant(a.company.id, 5)
    await grant(b.company.id, 5)
    for (const { token } of [a, b]) {
      const response = await client
        .post('/api/v1/credits/consume')
        .bearerToken(token)
        .header('idempotency-key', 'shared')
        .json({ amount: 1, reason: 'r' })
      response.assertStatus(201)
      assert.isUndefined(response.header('idempotent-replayed'))
    }
  })
})

test.group('Credits API: live balance', (group) => {
  isolate(group)
  const socket = socketsFor(group)

  test('a committed change pushes credits.balance with the company id to its room only', async ({
    client,
    assert,
  }) => {
    const { company, token } = await apiCompany()
    const other = await apiCompany()
    await grant(company.id, 100)
    const mine = socket({ token })
    const theirs = socket({ token: other.token })
    await Promise.all([connected(mine), connected(theirs)])

    const pushed = nextEvent(mine, 'credits.balance')
    const leaked = silence(theirs, 'credits.balance', 600)
    const hold = await client
      .post('/api/v1/credits/holds')
      .bearerToken(token)
      .json({ amount: 30, ttlSeconds: 60, reason: 'render' })
    hold.assertStatus(201)
    assert.deepEqual(await pushed, { companyId: company.id, balance: 100, held: 30, available: 70 })
    assert.isTrue(await leaked)
  })
})
