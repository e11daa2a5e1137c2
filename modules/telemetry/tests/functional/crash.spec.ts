import { randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { baseEnv, sharedServicesEnv, startServer } from '#tests/helpers/app_process'
import { batch, event, ingestCompany } from '#telemetry/tests/helpers/telemetry'

/*
| A real server ingesting under load is killed with SIGKILL. After a restart every event that
| was acknowledged with 202 is in the database exactly once, and re-sending the batches that got
| no answer stores each of their events once (they may or may not have committed before).
*/
test.group('Telemetry after a crash', (group) => {
  const cleanups: Array<() => Promise<void>> = []
  group.each.teardown(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup()
  })

  test('a server killed under load keeps every acknowledged event exactly once', async ({
    assert,
  }) => {
    const { owner, company, token } = await ingestCompany()
    cleanups.push(async () => {
      const installations = db
        .from('telemetry_installations')
        .where('company_id', company.id)
        .select('id')
      await db
        .from('telemetry_installation_days')
        .whereIn('installation_id', installations)
        .delete()
      await db.from('telemetry_events').where('company_id', company.id).delete()
      await db.from('telemetry_installations').where('company_id', company.id).delete()
      await company.delete()
      await owner.delete()
    })
    const env = baseEnv({
      ...sharedServicesEnv(),
      QUEUE_IN_PROCESS: 'false',
      TELEMETRY_RATE_PER_INSTALLATION: '1000000',
      TELEMETRY_RATE_PER_TOKEN: '1000000',
      PORT: '0',
      APP_URL: 'http://127.0.0.1',
    })
    const send = (url: string, body: unknown) =>
      fetch(`${url}/api/v1/telemetry/batch`, {
        method: 'POST',
        headers: { 'authorization': `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    const installations = Array.from({ length: 6 }, () => randomUUID())
    const acknowledged: string[] = []
    const unanswered: Array<ReturnType<typeof batch>> = []
    let killed = false
    const server = await startServer(env)
    const lane = async (index: number) => {
      while (!killed) {
        const body = batch(
          Array.from({ length: 50 }, () => event()),
          { installationId: installations[index % installations.length] }
        )
        try {
          const response = await send(server.url, body)
          const answer = (await response.json()) as any
          if (response.status === 202 && answer.accepted === 50)
            acknowledged.push(...body.events.map((e: any) => e.id))
          else unanswered.push(body)
        } catch {
          unanswered.push(body)
        }
      }
    }
    const lanes = Array.from({ length: 8 }, (_, index) => lane(index))
    while (acknowledged.length < 2000) await new Promise((resolve) => setTimeout(resolve, 10))
    await server.kill()
    killed = true
    await Promise.all(lanes)
    assert.isAbove(unanswered.length, 0, 'the kill interrupted batches in flight')

    const stored = async () =>
      (await db.from('telemetry_events').where('company_id', company.id).select('event_id')).map(
        (row: any) => row.event_id as string
      )
    const afterCrash = new Set(await stored())
    for (const id of acknowledged) assert.isTrue(afterCrash.has(id), `acknowledged ${id} is stored`)

    const restarted = await startServer(env)
    try {
      for (const body of unanswered) {
        const response = await send(restarted.url, body)
        assert.equal(response.status, 202, await response.text())
      }
    } finally {
      await restarted.stop()
    }
    const all = await stored()
    const expected = acknowledged.length + unanswered.length * 50
    assert.equal(all.length, expected, 'every event once')
    assert.equal(new Set(all).size, all.length, 'no event twice')
    const [counted] = await db
      .from('telemetry_installations')
      .where('company_id', company.id)
      .sum('events_received as n')
    assert.equal(Number(counted.n), expected, 'the registry counted each stored event once')
  }).timeout(120_000)
})
