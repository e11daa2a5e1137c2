import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import app from '@adonisjs/core/services/app'
import { ApiError } from '#app/exceptions/api_error'
import { CreditsAudit } from '#credits/services/credits_audit'
import { CreditsService } from '#credits/services/credits_service'
import { Ledger } from '#credits/services/ledger'
import {
  apiCompany,
  deleteCompanyCredits,
  entries,
  fakeClock,
  grant,
} from '#credits/tests/helpers/credits'
import { refusingRows } from '#tests/helpers/database'

/*
| Races through the real HTTP server, committed for real (no wrapping transaction: it would put
| every request on one connection and hide the race). On PostgreSQL and MariaDB the requests run
| on a pool of connections at once; on SQLite they queue for the one writer.
*/
test.group('Credits under concurrency', (group) => {
  const cleanups: Array<() => Promise<void>> = []
  const company = async () => {
    const created = await apiCompany()
    cleanups.push(async () => {
      await deleteCompanyCredits(created.company.id)
      await db.from('idempotency_keys').where('scope', `company:${created.company.id}`).delete()
      await created.company.delete()
      await created.owner.delete()
    })
    return created
  }
  group.each.teardown(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup()
  })

  const audit = async (assert: any) => {
    const report = await new CreditsAudit().run()
    assert.deepEqual(report.violations, [])
  }

  test('200 parallel consumes of 1 against a balance of 50: exactly 50 succeed', async ({
    client,
    assert,
  }) => {
    const { company: c, token } = await company()
    await grant(c.id, 50)
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        client
          .post('/api/v1/credits/consume')
          .bearerToken(token)
          .json({ amount: 1, reason: `race ${i}` })
      )
    )
    const statuses = responses.map((response) => response.status())
    assert.equal(statuses.filter((status) => status === 201).length, 50)
    assert.equal(statuses.filter((status) => status === 402).length, 150)
    assert.lengthOf(await entries(c.id, 'consume'), 50)
    const ids = responses.filter((r) => r.status() === 201).map((r) => r.body().transactionId)
    assert.lengthOf(new Set(ids), 50)
    const balance = await client.get('/api/v1/credits/balance').bearerToken(token)
    assert.include(balance.body(), { balance: 0, available: 0 })
    await audit(assert)
  }).timeout(120_000)

  test('20 parallel batches of 10 consumes of 1 against a balance of 50: exactly 50 succeed', async ({
    client,
    assert,
  }) => {
    const { company: c, token } = await company()
    await grant(c.id, 50)
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, b) =>
        client
          .post('/api/v1/credits/consume/batch')
          .bearerToken(token)
          .json({
            consumes: Array.from({ length: 10 }, (_item, i) => ({
              amount: 1,
              reason: `race ${b}.${i}`,
            })),
          })
      )
    )
    for (const response of responses) response.assertStatus(200)
    const results = responses.flatMap((response) => response.body().results)
    assert.equal(results.filter((result: any) => result.status === 201).length, 50)
    assert.equal(results.filter((result: any) => result.status === 402).length, 150)
    assert.equal(
      responses.reduce((sum, response) => sum + response.body().consumed, 0),
      50
    )
    assert.lengthOf(await entries(c.id, 'consume'), 50)
    const ids = results.filter((r: any) => r.status === 201).map((r: any) => r.transactionId)
    assert.lengthOf(new Set(ids), 50)
    const balance = await client.get('/api/v1/credits/balance').bearerToken(token)
    assert.include(balance.body(), { balance: 0, available: 0 })
    await audit(assert)
  }).timeout(120_000)

  test('racing captures and releases of one hold: exactly one settles it', async ({
    client,
    assert,
  }) => {
    const { company: c, token } = await company()
    await grant(c.id, 100)
    const { holdId } = (
      await client
        .post('/api/v1/credits/holds')
        .bearerToken(token)
        .json({ amount: 30, ttlSeconds: 600, reason: 'race' })
    ).body()
    const url = `/api/v1/credits/holds/${holdId}`
    const responses = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        i % 2
          ? client.post(`${url}/release`).bearerToken(token).json({})
          : client
              .post(`${url}/capture`)
              .bearerToken(token)
              .json({ amount: 10 + (i % 7) })
      )
    )
    const won = responses.filter((response) => response.status() === 200)
    assert.lengthOf(won, 1)
    for (const lost of responses.filter((response) => response.status() !== 200)) {
      assert.equal(lost.status(), 409)
      assert.oneOf(lost.body().errors[0].code, ['E_HOLD_CAPTURED', 'E_HOLD_RELEASED'])
    }
    const captured = won[0].body().captured ?? 0
    const balance = await client.get('/api/v1/credits/balance').bearerToken(token)
    assert.include(balance.body(), { balance: 100 - captured, held: 0 })
    await audit(assert)
  }).timeout(120_000)

  test('one Idempotency-Key sent 20 times at once has one effect', async ({ client, assert }) => {
    const { company: c, token } = await company()
    await grant(c.id, 100)
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        client
          .post('/api/v1/credits/consume')
          .bearerToken(token)
          .header('idempotency-key', 'same-order')
          .json({ amount: 7, reason: 'once' })
      )
    )
    const ok = responses.filter((response) => response.status() === 201)
    const busy = responses.filter((response) => response.status() === 409)
    assert.isAtLeast(ok.length, 1)
    assert.equal(ok.length + busy.length, 20)
    for (const response of busy) {
      assert.equal(response.body().errors[0].code, 'E_IDEMPOTENCY_IN_PROGRESS')
      assert.equal(response.header('retry-after'), '1')
    }
    assert.lengthOf(new Set(ok.map((response) => response.body().transactionId)), 1)
    assert.lengthOf(await entries(c.id, 'consume'), 1)

    const later = await client
      .post('/api/v1/credits/consume')
      .bearerToken(token)
      .header('idempotency-key', 'same-order')
      .json({ amount: 7, reason: 'once' })
    later.assertStatus(201)
    assert.equal(later.body().transactionId, ok[0].body().transactionId)
    await audit(assert)
  }).timeout(120_000)

  test('one Idempotency-Key on a batch sent 10 times at once has one effect', async ({
    client,
    assert,
  }) => {
    const { company: c, token } = await company()
    await grant(c.id, 100)
    const body = {
      consumes: Array.from({ length: 5 }, (_, i) => ({ amount: 3, reason: `sync ${i}` })),
    }
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        client
          .post('/api/v1/credits/consume/batch')
          .bearerToken(token)
          .header('idempotency-key', 'same-sync')
          .json(body)
      )
    )
    const ok = responses.filter((response) => response.status() === 200)
    const busy = responses.filter((response) => response.status() === 409)
    assert.isAtLeast(ok.length, 1)
    assert.equal(ok.length + busy.length, 10)
    for (const response of ok) assert.deepEqual(response.body(), ok[0].body())
    assert.lengthOf(await entries(c.id, 'consume'), 5)
    const balance = await client.get('/api/v1/credits/balance').bearerToken(token)
    assert.equal(balance.body().balance, 85)
    await audit(assert)
  }).timeout(120_000)
})

/*
| Group commit (write_batches.ts): writes that arrive together share one transaction, each in
| its own savepoint. Called through the Ledger directly, so the test decides what arrives at once.
*/
test.group('Credits group commit', (group) => {
  const cleanups: Array<() => Promise<void>> = []
  const company = async () => {
    const created = await apiCompany()
    cleanups.push(async () => {
      await deleteCompanyCredits(created.company.id)
      await created.company.delete()
      await created.owner.delete()
    })
    return created.company
  }
  group.each.teardown(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup()
  })

  const version = async (companyId: number) =>
    Number(
      (await db.from('credit_accounts').where('company_id', companyId).select('version').first())
        .version
    )
  const spend = (credits: CreditsService, companyId: number, amount: number, reason: string) =>
    credits.consume(companyId, { amount, reason, actor: { type: 'system' } })

  test('writes that arrive together commit once; a refused one leaves the others', async ({
    assert,
  }) => {
    const c = await company()
    await grant(c.id, 10)
    const credits = await app.container.make(CreditsService)
    const ledger = await app.container.make(Ledger)
    const versionBefore = await version(c.id)

    const results = await Promise.allSettled([
      spend(credits, c.id, 3, 'first'),
      /* Writes an entry, then refuses: the savepoint takes its entry back. */
      ledger.write(c.id, async (tx) => {
        await tx.append({ type: 'adjust', amount: -1, actor: { type: 'system' }, reason: 'undone' })
        throw new ApiError('E_TEST_REFUSED', 'refused on purpose', { status: 409 })
      }),
      spend(credits, c.id, 20, 'too much'),
      spend(credits, c.id, 4, 'second'),
    ])

    assert.deepEqual(
      results.map((result) => result.status),
      ['fulfilled', 'rejected', 'rejected', 'fulfilled']
    )
    assert.equal((results[1] as PromiseRejectedResult).reason.code, 'E_TEST_REFUSED')
    assert.equal((results[2] as PromiseRejectedResult).reason.code, 'E_INSUFFICIENT_CREDITS')
    /* One lock for the four writes: they shared one transaction. */
    assert.equal((await version(c.id)) - versionBefore, 1)
    const written = await entries(c.id)
    assert.deepEqual(
      written.map((entry: any) => [entry.type, Number(entry.amount), Number(entry.balance_after)]),
      [
        ['grant', 10, 10],
        ['consume', -3, 7],
        ['consume', -4, 3],
      ]
    )
    const second = (results[3] as PromiseFulfilledResult<any>).value
    assert.include(second.before, { balance: 7 })
    assert.include(second.after, { balance: 3 })
    assert.deepEqual((await new CreditsAudit().run()).violations, [])
  })

  test('one group spans companies, each with its own balance', async ({ assert }) => {
    const companies = [await company(), await company(), await company()]
    /* Two grants each: the spends empty the older one and go on drawing from the other. */
    for (const c of companies) {
      await grant(c.id, 4)
      await grant(c.id, 100)
    }
    const credits = await app.container.make(CreditsService)
    await Promise.all(
      companies.flatMap((c, n) =>
        Array.from({ length: 5 }, (_, i) => spend(credits, c.id, n + 1, `spend ${i}`))
      )
    )
    for (const [n, c] of companies.entries()) {
      const account = await credits.balance(c.id)
      assert.equal(account.balance, 104 - 5 * (n + 1))
      const grants = await db.from('credit_grants').where('company_id', c.id).orderBy('id')
      assert.deepEqual(
        grants.map((g: any) => Number(g.remaining)),
        [0, 104 - 5 * (n + 1)],
        'the older grant emptied first'
      )
      assert.lengthOf(await entries(c.id, 'consume'), 5)
    }
    assert.deepEqual((await new CreditsAudit().run()).violations, [])
  })

  /*
  | On PostgreSQL a group's consume entries are written at its end with ids drawn ahead, and its
  | companies' grants read in one statement (ledger.ts): the ledger must read as if each entry had
  | been inserted when it was appended.
  */
  test("a group of consumes, a repeated key and a hold keeps each company's entries in order", async ({
    assert,
  }) => {
    const a = await company()
    const b = await company()
    await grant(a.id, 100)
    await grant(b.id, 100)
    const credits = await app.container.make(CreditsService)
    const actor = { type: 'system' as const }
    const versions = [await version(a.id), await version(b.id)]

    const [a1, keyed, b1, again, hold, a3, b2] = await Promise.all([
      credits.consume(a.id, { amount: 1, reason: 'a1', actor }),
      credits.consume(a.id, { amount: 2, reason: 'a2', actor, idempotencyKey: 'same' }),
      credits.consume(b.id, { amount: 5, reason: 'b1', actor }),
      credits.consume(a.id, { amount: 2, reason: 'a2', actor, idempotencyKey: 'same' }),
      credits.hold(a.id, { amount: 10, ttlSeconds: 60, reason: 'a hold', actor }),
      credits.consume(a.id, { amount: 3, reason: 'a3', actor }),
      credits.consume(b.id, { amount: 6, reason: 'b2', actor }),
    ])

    /* One group: each account locked once. */
    assert.deepEqual(
      [(await version(a.id)) - versions[0], (await version(b.id)) - versions[1]],
      [1, 1]
    )
    assert.equal(again.result.entryId, keyed.result.entryId, 'the repeated key replays the first')
    const rowsOf = async (companyId: number) =>
      (await entries(companyId)).map((entry: any) => [
        Number(entry.id),
        entry.reason,
        Number(entry.balance_after),
        Number(entry.held_after),
      ])
    const grantOf = async (companyId: number) => (await entries(companyId, 'grant'))[0].id
    assert.deepEqual(await rowsOf(a.id), [
      [Number(await grantOf(a.id)), 'Test grant', 100, 0],
      [a1.result.entryId, 'a1', 99, 0],
      [keyed.result.entryId, 'a2', 97, 0],
      [hold.result.entryId, 'a hold', 97, 10],
      [a3.result.entryId, 'a3', 94, 10],
    ])
    assert.deepEqual(await rowsOf(b.id), [
      [Number(await grantOf(b.id)), 'Test grant', 100, 0],
      [b1.result.entryId, 'b1', 95, 0],
      [b2.result.entryId, 'b2', 89, 0],
    ])
    assert.deepEqual([a3.after.balance, a3.after.held, b2.after.balance], [94, 10, 89])
    /* What each consume drew is recorded against its own entry. */
    const drawn = await db
      .from('credit_allocations')
      .whereIn(
        'entry_id',
        [a1, keyed, a3, b1, b2].map((write) => write.result.entryId)
      )
      .select('entry_id', 'amount')
    assert.deepEqual(
      Object.fromEntries(drawn.map((row: any) => [Number(row.entry_id), Number(row.amount)])),
      Object.fromEntries(
        [a1, keyed, a3, b1, b2].map((write, i) => [write.result.entryId, -[1, 2, 3, 5, 6][i]])
      )
    )
    assert.deepEqual((await new CreditsAudit().run()).violations, [])
  })

  test('a group whose company has an expired grant sweeps it first, then spends in order', async ({
    assert,
  }) => {
    const { clock, restore } = fakeClock()
    try {
      const c = await company()
      const other = await company()
      await grant(c.id, 5, { expiresAt: clock.now() + 1000 })
      await grant(c.id, 50)
      await grant(other.id, 50)
      clock.jump(2000)
      const credits = await app.container.make(CreditsService)
      const actor = { type: 'system' as const }
      const [first, , second] = await Promise.all([
        credits.consume(c.id, { amount: 1, reason: 'first', actor }),
        credits.consume(other.id, { amount: 2, reason: 'other', actor }),
        credits.consume(c.id, { amount: 3, reason: 'second', actor }),
      ])
      const written = (await entries(c.id)).map((entry: any) => [
        entry.type,
        Number(entry.amount),
        Number(entry.balance_after),
      ])
      assert.deepEqual(written, [
        ['grant', 5, 5],
        ['grant', 50, 55],
        ['expire', -5, 50],
        ['consume', -1, 49],
        ['consume', -3, 46],
      ])
      const consumes = await entries(c.id, 'consume')
      assert.deepEqual(
        consumes.map((entry: any) => Number(entry.id)),
        [first.result.entryId, second.result.entryId]
      )
      assert.equal(second.after.balance, 46)
      assert.deepEqual((await new CreditsAudit().run()).violations, [])
    } finally {
      restore()
    }
  })

  test('a group that fails before its commit runs each write again alone', async ({ assert }) => {
    const c = await company()
    await grant(c.id, 10)
    const credits = await app.container.make(CreditsService)
    const ledger = await app.container.make(Ledger)

    /* Releases the group's savepoint itself, so rolling back to it fails: the whole group fails. */
    const breaksTheGroup = ledger.write(c.id, async (tx) => {
      await tx.trx.rawQuery('RELEASE SAVEPOINT ledger_write').catch(() => {})
      throw new ApiError('E_TEST_BROKEN', 'broke the group', { status: 409 })
    })
    const results = await Promise.allSettled([
      spend(credits, c.id, 2, 'before'),
      breaksTheGroup,
      spend(credits, c.id, 3, 'after'),
    ])

    assert.deepEqual(
      results.map((result) => result.status),
      ['fulfilled', 'rejected', 'fulfilled']
    )
    assert.equal((results[1] as PromiseRejectedResult).reason.code, 'E_TEST_BROKEN')
    assert.deepEqual(
      (await entries(c.id, 'consume')).map((entry: any) => entry.reason),
      ['before', 'after']
    )
    assert.equal((await credits.balance(c.id)).balance, 5)
    assert.deepEqual((await new CreditsAudit().run()).violations, [])
  })

  test('an end statement PostgreSQL refuses leaves nothing of its group, though its COMMIT went out behind it', async ({
    assert,
  }) => {
    const c = await company()
    await grant(c.id, 10)
    const credits = await app.container.make(CreditsService)
    /* Refuses one consume's entry, which only the group's end statement inserts. */
    await refusingRows(
      { table: 'credit_entries', column: 'reason', value: 'refused at the end', at: 'insert' },
      async () => {
        const versionBefore = await version(c.id)
        const results = await Promise.allSettled([
          spend(credits, c.id, 2, 'before'),
          spend(credits, c.id, 1, 'refused at the end'),
          spend(credits, c.id, 3, 'after'),
        ])
        assert.deepEqual(
          results.map((result) => result.status),
          ['fulfilled', 'rejected', 'fulfilled']
        )
        assert.match((results[1] as PromiseRejectedResult).reason.message, /refused by the probe/)
        /*
      | The group's lock was rolled back with it (a COMMIT that went through would have kept its
      | version bump); then each write ran alone and two committed.
      */
        assert.equal((await version(c.id)) - versionBefore, 2)
        assert.deepEqual(
          (await entries(c.id, 'consume')).map((entry: any) => entry.reason),
          ['before', 'after']
        )
        const balance = await credits.balance(c.id)
        assert.deepEqual([balance.balance, balance.held], [5, 0])
        assert.deepEqual((await new CreditsAudit().run()).violations, [])
      }
    )
  }).skip(
    db.connection().dialect.name !== 'postgres',
    "a group's end statement and its COMMIT go out together on PostgreSQL only (DB_CONNECTION=pg)"
  )

  test('a COMMIT PostgreSQL refuses fails the write instead of acknowledging it', async ({
    assert,
  }) => {
    const c = await company()
    await grant(c.id, 10)
    const credits = await app.container.make(CreditsService)
    /* Raises at COMMIT, after every statement succeeded. */
    await refusingRows(
      { table: 'credit_entries', column: 'reason', value: 'refused at commit', at: 'commit' },
      async () => {
        const result = await spend(credits, c.id, 1, 'refused at commit').then(
          () => null,
          (error) => error
        )
        assert.match(result?.message ?? 'acknowledged', /refused at commit by the probe/)
        assert.lengthOf(await entries(c.id, 'consume'), 0)
        assert.equal((await credits.balance(c.id)).balance, 10)
      }
    )
  }).skip(
    db.connection().dialect.name !== 'postgres',
    'a constraint trigger deferred to COMMIT is a PostgreSQL feature (DB_CONNECTION=pg)'
  )

  test('a write that starts another ledger write is refused instead of waiting forever', async ({
    assert,
  }) => {
    const c = await company()
    await grant(c.id, 10)
    const ledger = await app.container.make(Ledger)
    const credits = await app.container.make(CreditsService)
    await assert.rejects(
      () => ledger.write(c.id, async () => spend(credits, c.id, 1, 'nested')),
      /cannot start another ledger write/
    )
    assert.lengthOf(await entries(c.id, 'consume'), 0)
    assert.equal((await credits.balance(c.id)).balance, 10)
  })
})
