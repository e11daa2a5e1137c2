import { test } from '@japa/runner'
import { randomUUID } from 'node:crypto'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { isolate } from '#tests/helpers/database'
import { checkBatch } from '#telemetry/services/batch'
import { ingestStats, TelemetryIngest } from '#telemetry/services/ingest'
import {
  batch,
  errorEvent,
  event,
  ingestCompany,
  storedEvents,
} from '#telemetry/tests/helpers/telemetry'

/*
| Group commit (ingest_queue.ts): batches that arrive together share one transaction, and each
| still gets its own answer; a group that fails is stored again batch by batch.
*/
async function ingestAll(companyId: number, bodies: Array<ReturnType<typeof batch>>) {
  const ingest = await app.container.make(TelemetryIngest)
  return Promise.all(
    bodies.map((body) => ingest.ingest({ companyId, userId: null }, checkBatch(body, Date.now())))
  )
}

test.group('Telemetry group commit', (group) => {
  isolate(group)

  test('batches arriving together commit once, each answered for itself', async ({ assert }) => {
    const { company } = await ingestCompany()
    const installations = Array.from({ length: 6 }, () => randomUUID())
    /* Each installation known first, so the next batches reach the queue in the same turn. */
    await ingestAll(
      company.id,
      installations.map((installationId) => batch([event()], { installationId }))
    )
    const resent = event()
    const bodies = installations.map((installationId, index) =>
      batch(
        [
          ...Array.from({ length: 5 }, () => event()),
          ...(index < 2 ? [resent] : []),
          ...(index === 3 ? [errorEvent(), errorEvent()] : []),
        ],
        { installationId, appVersion: index === 5 ? '1.5.0' : '1.4.2' }
      )
    )
    const before = ingestStats()
    const results = await ingestAll(company.id, bodies)
    const after = ingestStats()

    assert.equal(after.groups - before.groups, 1, 'one transaction for the six batches')
    assert.equal(after.batches - before.batches, 6)
    assert.deepEqual(
      results.map((result) => [result.accepted, result.duplicates]),
      [
        [6, 0],
        [5, 1],
        [5, 0],
        [7, 0],
        [5, 0],
        [5, 0],
      ],
      'the id sent in two batches of the group is stored for the first one only'
    )
    const rows = await storedEvents(company.id)
    assert.lengthOf(rows, 6 + 33)
    assert.equal(rows.filter((row) => row.event_id === resent.id).length, 1)

    const received = await db
      .from('telemetry_installations')
      .whereIn('uuid', installations)
      .orderBy('id')
      .select('uuid', 'events_received', 'app_version')
    assert.deepEqual(
      received.map((row) => Number(row.events_received)),
      [7, 6, 6, 8, 6, 6]
    )
    assert.equal(received[5].app_version, '1.5.0')
    const days = await db
      .from('telemetry_installation_days')
      .where('company_id', company.id)
      .sum('events as events')
      .sum('errors as errors')
    assert.equal(Number(days[0].events), 39)
    assert.equal(Number(days[0].errors), 2)
    const [issue] = await db.from('telemetry_issues').where('events_count', '>', 0)
    assert.equal(Number(issue.events_count), 2)
    assert.equal(Number(issue.installations_count), 1)
  })

  test('one error from several installations and versions in one group is one issue', async ({
    assert,
  }) => {
    const { company } = await ingestCompany()
    const installations = Array.from({ length: 4 }, () => randomUUID())
    await ingestAll(
      company.id,
      installations.map((installationId) => batch([event()], { installationId }))
    )
    const versions = ['1.4.2', '1.4.2', '1.5.0', '1.5.0']
    const before = ingestStats()
    await ingestAll(
      company.id,
      installations.map((installationId, index) =>
        batch(
          [
            errorEvent(),
            errorEvent({
              name: 'RangeError',
              message: 'Invalid array length',
              stack:
                'RangeError: Invalid array length\n    at grow (app://renderer/src/buffer.ts:7:9)',
            }),
          ],
          {
            installationId,
            appVersion: versions[index],
          }
        )
      )
    )
    assert.equal(ingestStats().groups - before.groups, 1)

    const issues = await db.from('telemetry_issues').orderBy('id')
    assert.lengthOf(issues, 2)
    for (const issue of issues) {
      assert.equal(Number(issue.events_count), 4)
      assert.equal(Number(issue.installations_count), 4)
      assert.equal(issue.first_version, '1.4.2')
      assert.equal(issue.last_version, '1.5.0')
      const perVersion = await db
        .from('telemetry_issue_versions')
        .where('issue_id', issue.id)
        .orderBy('app_version')
      assert.deepEqual(
        perVersion.map((row) => [row.app_version, Number(row.events_count)]),
        [
          ['1.4.2', 2],
          ['1.5.0', 2],
        ]
      )
      const seenBy = await db.from('telemetry_issue_installations').where('issue_id', issue.id)
      assert.lengthOf(seenBy, 4)
    }
    const linked = await db.from('telemetry_events').whereNotNull('issue_id').count('* as n')
    assert.equal(Number(linked[0].n), 8)
  })

  test('a group that fails is stored again batch by batch, nothing lost or doubled', async ({
    assert,
  }) => {
    const { company } = await ingestCompany()
    const installations = Array.from({ length: 3 }, () => randomUUID())
    await ingestAll(
      company.id,
      installations.map((installationId) => batch([event()], { installationId }))
    )
    /* The second installation is deleted behind the process's back: locking it fails the group. */
    await db.from('telemetry_installations').where('uuid', installations[1]).delete()
    const before = ingestStats()
    const bodies = installations.map((installationId) =>
      batch(
        Array.from({ length: 4 }, () => event()),
        { installationId }
      )
    )
    const results = await ingestAll(company.id, bodies)
    const after = ingestStats()

    assert.equal(after.failedGroups - before.failedGroups, 1)
    assert.deepEqual(
      results.map((result) => result.accepted),
      [4, 4, 4]
    )
    const stored = new Set((await storedEvents(company.id)).map((row) => row.event_id))
    for (const body of bodies) for (const sent of body.events) assert.isTrue(stored.has(sent.id))
    const counts = await db
      .from('telemetry_events')
      .where('company_id', company.id)
      .groupBy('event_id')
      .havingRaw('count(*) > 1')
      .select('event_id')
    assert.lengthOf(counts, 0)
    const again = await db.from('telemetry_installations').where('uuid', installations[1]).first()
    assert.equal(Number(again.events_received), 4, 'registered again, with the batch counted once')
  })
})
