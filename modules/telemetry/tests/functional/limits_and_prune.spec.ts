import { test } from '@japa/runner'
import ace from '@adonisjs/core/services/ace'
import db from '@adonisjs/lucid/services/db'
import { isolate } from '#tests/helpers/database'
import { apiErrors } from '#tests/helpers/http'
import TelemetryPruneCommand from '#telemetry/commands/telemetry_prune'
import PruneEvents from '#telemetry/jobs/prune_events'
import app from '@adonisjs/core/services/app'
import { batch, event, ingestCompany, testSettings } from '#telemetry/tests/helpers/telemetry'

const DAY = 86_400_000

test.group('Telemetry rate limits', (group) => {
  isolate(group)

  test('limits batches per installation with 429 and Retry-After', async ({
    client,
    assert,
    cleanup,
  }) => {
    cleanup(testSettings({ perInstallationPerMinute: 2 }))
    const { company, token } = await ingestCompany()
    const body = batch([event()])
    for (let i = 0; i < 2; i++) {
      const ok = await client
        .post('/api/v1/telemetry/batch')
        .bearerToken(token)
        .json({ ...body, events: [event()] })
      ok.assertStatus(202)
    }
    const limited = await client
      .post('/api/v1/telemetry/batch')
      .bearerToken(token)
      .json({ ...body, events: [event()] })
    limited.assertStatus(429)
    assert.equal(apiErrors(limited)[0].code, 'E_TOO_MANY_REQUESTS')
    assert.isAbove(Number(limited.header('retry-after')), 0)
    const other = await client
      .post('/api/v1/telemetry/batch')
      .bearerToken(token)
      .json(batch([event()]))
    other.assertStatus(202)
    assert.lengthOf(await db.from('telemetry_events').where('company_id', company.id), 3)
  })

  test('limits batches per token', async ({ client, cleanup }) => {
    cleanup(testSettings({ perTokenPerMinute: 2 }))
    const { token } = await ingestCompany()
    for (let i = 0; i < 2; i++) {
      const ok = await client
        .post('/api/v1/telemetry/batch')
        .bearerToken(token)
        .json(batch([event()]))
      ok.assertStatus(202)
    }
    const limited = await client
      .post('/api/v1/telemetry/batch')
      .bearerToken(token)
      .json(batch([event()]))
    limited.assertStatus(429)
  })
})

test.group('Telemetry retention', (group) => {
  isolate(group)
  group.each.setup(() => {
    ace.ui.switchMode('raw')
    return () => ace.ui.switchMode('normal')
  })

  async function aged(client: any, token: string, count: number, ageDays: number) {
    const body = batch(Array.from({ length: count }, () => event()))
    const response = await client.post('/api/v1/telemetry/batch').bearerToken(token).json(body)
    response.assertStatus(202)
    await db
      .from('telemetry_events')
      .whereIn(
        'event_id',
        body.events.map((e: any) => e.id)
      )
      .update({ received_at: Date.now() - ageDays * DAY })
    return body
  }

  test('telemetry:prune deletes old events in batches and keeps rollups', async ({
    client,
    assert,
  }) => {
    const { token } = await ingestCompany()
    await aged(client, token, 7, 100)
    const recent = await aged(client, token, 3, 10)
    const dry = await ace.create(TelemetryPruneCommand, ['--dry-run', '--json'])
    await dry.exec()
    dry.assertSucceeded()
    assert.deepInclude(JSON.parse(dry.logger.getLogs().at(-1)!.message), {
      prunable: 7,
      deleted: 0,
    })
    assert.lengthOf(await db.from('telemetry_events'), 10)

    const command = await ace.create(TelemetryPruneCommand, ['--batch=3', '--json'])
    await command.exec()
    command.assertSucceeded()
    assert.deepInclude(JSON.parse(command.logger.getLogs().at(-1)!.message), {
      deleted: 7,
      batches: 3,
      days: 90,
    })
    const left = await db.from('telemetry_events').select('event_id')
    assert.sameMembers(
      left.map((r) => r.event_id),
      recent.events.map((e: any) => e.id)
    )
    const [rollup] = await db.from('telemetry_installation_days').sum('events as n')
    assert.equal(Number(rollup.n), 10)

    const shorter = await ace.create(TelemetryPruneCommand, ['--days=5', '--json'])
    await shorter.exec()
    assert.lengthOf(await db.from('telemetry_events'), 0)
    const wrong = await ace.create(TelemetryPruneCommand, ['--days=0'])
    await wrong.exec()
    wrong.assertFailed()
  })

  test('the nightly job prunes with the configured retention', async ({
    client,
    assert,
    cleanup,
  }) => {
    cleanup(testSettings({ retentionDays: 30 }))
    const { token } = await ingestCompany()
    await aged(client, token, 2, 31)
    await aged(client, token, 1, 29)
    const job = await app.container.make(PruneEvents)
    const result = await job.handle()
    assert.deepInclude(result, { deleted: 2 })
    assert.lengthOf(await db.from('telemetry_events'), 1)
  })
})
