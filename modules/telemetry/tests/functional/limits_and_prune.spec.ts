import { test } from '@japa/runner'
import ace from '@adonisjs/core/services/ace'
import db from '@adonisjs/lucid/services/db'
import { isolate } from '#tests/helpers/database'
import { apiErrors } from '#tests/helpers/http'
import TelemetryPruneCommand from '#telemetry/commands/telemetry_prune'
import PruneEvents from '#telemetry/jobs/prune_events'
import app from '@adonisjs/core/services/app'
import { batch, event, ingestCompany, testSettings } from '#telemetry/tests/helpers/telemetry'
import { TelemetryIngest } from '#telemetry/services/ingest'
import { IngestQueue, MAX_PENDING_EVENTS, type IngestJob } from '#telemetry/services/ingest_queue'

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

test.group('Telemetry ingestion behind', (group) => {
  isolate(group)

  /*
  | The queue's refusal (ingest_queue.spec.ts) as a client sees it. Filling the process's own
  | queue would mean holding ingestion's database transactions for 200,000 events, so the
  | request goes to a queue of the same class whose one writer never finishes and whose
  | waiting list is full.
  */
  test('a server behind on ingestion answers 503 E_INGEST_BUSY with Retry-After', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { company, token } = await ingestCompany()
    let release = () => {}
    const held = new Promise<void>((resolve) => (release = resolve))
    const busy = new IngestQueue(
      {
        group: async (jobs) => held.then(() => jobs.map(() => [])),
        alone: async (job) => held.then(() => ({ ref: job.ref, stored: [] })),
      },
      () => 1
    )
    const job = (id: number, events: number): IngestJob => ({
      ref: { id, companyId: company.id },
      sender: { companyId: company.id, userId: null },
      envelope: batch([]) as any,
      events: Array.from({ length: events }, () => event() as any),
      now: Date.now(),
    })
    const waiting = [busy.push(job(1, 1))]
    await new Promise((resolve) => setImmediate(resolve))
    for (let i = 0; i < MAX_PENDING_EVENTS / 1000; i++) waiting.push(busy.push(job(2 + i, 1000)))
    app.container.swap(TelemetryIngest, () => {
      return {
        ingest: (sender: IngestJob['sender'], checked: any) =>
          busy.push({
            ref: { id: 9999, companyId: sender.companyId },
            sender,
            envelope: checked.envelope,
            events: checked.events,
            now: Date.now(),
          }),
      } as unknown as TelemetryIngest
    })
    cleanup(async () => {
      app.container.restore(TelemetryIngest)
      release()
      await Promise.all(waiting)
    })

    const response = await client
      .post('/api/v1/telemetry/batch')
      .bearerToken(token)
      .json(batch([event(), event()]))
    response.assertStatus(503)
    assert.equal(apiErrors(response)[0].code, 'E_INGEST_BUSY')
    assert.equal(response.header('retry-after'), '1')
    assert.equal(busy.stats.refused, 1)
    assert.lengthOf(await db.from('telemetry_events').where('company_id', company.id), 0)
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
