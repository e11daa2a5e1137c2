import { randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import User from '#accounts/models/user'
import { createCompanyWithOwner } from '#accounts/database/factories/user_factory'
import { baseEnv, sharedServicesEnv, spawnAce, startServer } from '#tests/helpers/app_process'
import { deleteCompanyCredits, grant } from '#credits/tests/helpers/credits'

/*
| A real server under load is killed with SIGKILL. After a restart: every acknowledged consume
| is in the ledger, retrying the unacknowledged ones with their Idempotency-Key leaves exactly
| one entry per key (whether or not the first attempt had committed), and `credits:audit` passes.
| A third of the load is batches of BATCH consumes (each item acknowledged by its 201 in a 200);
| their items' entries carry `<key> <i>`.
*/
const BATCH = 5
test.group('Credits after a crash', (group) => {
  const cleanups: Array<() => Promise<void>> = []
  group.each.teardown(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup()
  })

  test('a server killed under load loses nothing acknowledged and half-applies nothing', async ({
    assert,
  }) => {
    const { owner, company } = await createCompanyWithOwner()
    const token = (
      await User.accessTokens.create(owner, ['*'], { companyId: company.id })
    ).value!.release()
    cleanups.push(async () => {
      await deleteCompanyCredits(company.id)
      await db.from('idempotency_keys').where('scope', `company:${company.id}`).delete()
      await company.delete()
      await owner.delete()
    })
    await grant(company.id, 1_000_000)

    const env = baseEnv({
      ...sharedServicesEnv(),
      QUEUE_IN_PROCESS: 'false',
      IDEMPOTENCY_STALE_MS: '300',
      PORT: '0',
      APP_URL: 'http://127.0.0.1',
    })
    const post = (url: string, path: string, key: string, body: unknown) =>
      fetch(`${url}/api/v1/credits/${path}`, {
        method: 'POST',
        headers: {
          'authorization': `Bearer ${token}`,
          'content-type': 'application/json',
          'accept': 'application/json',
          'idempotency-key': key,
        },
        body: JSON.stringify(body),
      })
    const consume = (url: string, key: string) =>
      post(url, 'consume', key, { amount: 1, reason: 'crash test' })
    const consumeBatch = (url: string, key: string) =>
      post(url, 'consume/batch', key, {
        consumes: Array.from({ length: BATCH }, (_, i) => ({ amount: 1, reason: `crash ${i}` })),
      })

    const server = await startServer(env)
    const acknowledged = new Map<string, number>()
    const unacknowledged: string[] = []
    const unacknowledgedBatches: string[] = []
    let killed = false
    const lane = async () => {
      while (!killed) {
        const key = randomUUID()
        try {
          const response = await consume(server.url, key)
          const body = (await response.json()) as any
          if (response.status === 201) acknowledged.set(key, body.transactionId)
          else unacknowledged.push(key)
        } catch {
          unacknowledged.push(key)
        }
      }
    }
    const batchLane = async () => {
      while (!killed) {
        const key = randomUUID()
        let body: any
        try {
          const response = await consumeBatch(server.url, key)
          body = await response.json()
          if (response.status !== 200) throw new Error(String(response.status))
        } catch {
          unacknowledgedBatches.push(key)
          continue
        }
        /* A million credits: every item of an answered batch is stored. */
        body.results.forEach((result: any, i: number) => {
          assert.equal(result.status, 201, JSON.stringify(result))
          acknowledged.set(`${key} ${i}`, result.transactionId)
        })
      }
    }
    const lanes = [...Array.from({ length: 8 }, lane), ...Array.from({ length: 4 }, batchLane)]
    while (acknowledged.size < 150) await new Promise((resolve) => setTimeout(resolve, 10))
    await server.kill()
    killed = true
    await Promise.all(lanes)

    const restarted = await startServer(env)
    try {
      const ids = (
        await db.from('credit_entries').where('company_id', company.id).where('type', 'consume')
      ).map((row: any) => Number(row.id))
      for (const [key, id] of acknowledged) assert.include(ids, id, `acknowledged ${key}`)

      await new Promise((resolve) => setTimeout(resolve, 400))
      for (const key of unacknowledged) {
        const response = await consume(restarted.url, key)
        assert.equal(response.status, 201, `retry of ${key}: ${await response.text()}`)
      }
      for (const key of unacknowledgedBatches) {
        const response = await consumeBatch(restarted.url, key)
        const text = await response.text()
        assert.equal(response.status, 200, `retry of batch ${key}: ${text}`)
        assert.equal(JSON.parse(text).consumed, BATCH, `retry of batch ${key}: ${text}`)
      }
      const perKey = await db
        .from('credit_entries')
        .where('company_id', company.id)
        .where('type', 'consume')
        .select('idempotency_key')
        .count('* as n')
        .groupBy('idempotency_key')
      assert.equal(
        perKey.length,
        acknowledged.size + unacknowledged.length + unacknowledgedBatches.length * BATCH
      )
      const batchItems = [...acknowledged.keys()].filter((key) => key.includes(' '))
      assert.isAbove(batchItems.length, 0, 'no batch was acknowledged before the kill')
      assert.isTrue(perKey.every((row: any) => Number(row.n) === 1))
    } finally {
      await restarted.stop()
    }

    const audit = spawnAce(['credits:audit', '--json'], env)
    const { code } = await audit.exited
    assert.equal(code, 0, audit.output())
    assert.deepEqual(JSON.parse(audit.output().trim().split('\n').at(-1)!).violations, [])
  }).timeout(120_000)
})
