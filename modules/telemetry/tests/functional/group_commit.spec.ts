import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import { randomUUID } from 'node:crypto'
import { createRequire } from 'node:module'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { checkBatch } from '#telemetry/services/batch'
import { ingestStats, TelemetryIngest } from '#telemetry/services/ingest'
import { lockInstallations } from '#telemetry/services/installations'
import {
  batch,
  errorEvent,
  event,
  ingestCompany,
  storedEvents,
} from '#telemetry/tests/helpers/telemetry'
import { refusingRows } from '#tests/helpers/database'
import { apiErrors } from '#tests/helpers/http'
import { rawRows } from '#app/helpers/query_results'
import { isSqliteConnection } from '#app/helpers/write_slots'

/*
| Group commit (ingest_queue.ts): batches that arrive together share one transaction, and each
| still gets its own answer; a group that fails is stored again batch by batch. Committed for
| real (a wrapping transaction would put every transaction on one connection, one after the
| other), and cleaned up after each test. Error names carry a marker, so a test's issues are
| its own.
*/
const cleanups: Array<() => Promise<void>> = []

async function company() {
  const created = await ingestCompany()
  const marker = `T${randomUUID().slice(0, 8)}`
  cleanups.push(async () => {
    const companyId = created.company.id
    const installations = db
      .from('telemetry_installations')
      .where('company_id', companyId)
      .select('id')
    const issues = db.from('telemetry_issues').where('name', 'like', `%${marker}%`).select('id')
    await db.from('telemetry_issue_versions').whereIn('issue_id', issues).delete()
    await db
      .from('telemetry_issue_installations')
      .whereIn('installation_id', installations)
      .orWhereIn('issue_id', issues)
      .delete()
    await db.from('telemetry_issues').where('name', 'like', `%${marker}%`).delete()
    await db.from('telemetry_installation_days').where('company_id', companyId).delete()
    await db.from('telemetry_events').where('company_id', companyId).delete()
    await db.from('telemetry_installations').where('company_id', companyId).delete()
    await created.company.delete()
    await created.owner.delete()
  })
  /* An error of this test's own (its name is part of the fingerprint). */
  const error = (overrides: Record<string, unknown> = {}) =>
    errorEvent({ name: `TypeError${marker}`, ...overrides })
  return { ...created, error, marker }
}

async function ingestAll(companyId: number, bodies: Array<ReturnType<typeof batch>>) {
  const ingest = await app.container.make(TelemetryIngest)
  return Promise.all(
    bodies.map((body) => ingest.ingest({ companyId, userId: null }, checkBatch(body, Date.now())))
  )
}

/* A company whose installation has sent one event, a poster for its token, and a next batch. */
async function knownInstallation(client: ApiClient) {
  const { company: c, token } = await company()
  const installationId = randomUUID()
  const post = (body: ReturnType<typeof batch>) =>
    client.post('/api/v1/telemetry/batch').bearerToken(token).json(body)
  ;(await post(batch([event()], { installationId }))).assertStatus(202)
  return { c, post, body: batch([event(), event()], { installationId }) }
}

/* Registers the installations first, so the next batches reach the queue in the same turn. */
async function known(companyId: number, count: number) {
  const installations = Array.from({ length: count }, () => randomUUID())
  await ingestAll(
    companyId,
    installations.map((installationId) => batch([event()], { installationId }))
  )
  return installations
}

/* better-sqlite3 ships no types; these methods are enough here. */
type Sqlite = { exec(sql: string): void; close(): void }
const Database = createRequire(import.meta.url)('better-sqlite3') as new (file: string) => Sqlite

/*
| Ends the database session that waits for a row lock, as a restart or failover would (on
| MariaDB: the one statement of the test, the installation's UPDATE, still running).
*/
async function dropWaitingSession() {
  const postgres = db.connection().dialect.name === 'postgres'
  for (let tries = 0; tries < 250; tries++) {
    const ids = rawRows<{ id: number }>(
      await db.rawQuery(
        postgres
          ? "select pid as id from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'"
          : "select id from information_schema.processlist where db = database() and command = 'Query' and info like 'update `telemetry_installations`%'"
      )
    )
    if (ids.length === 1) {
      await db.rawQuery(postgres ? 'select pg_terminate_backend(?)' : 'kill ?', [ids[0].id])
      return
    }
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error('no session waited for the lock')
}

test.group('Telemetry group commit', (group) => {
  group.each.teardown(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup()
  })

  test('batches arriving together commit once, each answered for itself', async ({ assert }) => {
    const { company: c, error, marker } = await company()
    const installations = await known(c.id, 6)
    const resent = event()
    const bodies = installations.map((installationId, index) =>
      batch(
        [
          ...Array.from({ length: 5 }, () => event()),
          ...(index < 2 ? [resent] : []),
          ...(index === 3 ? [error(), error()] : []),
        ],
        { installationId, appVersion: index === 5 ? '1.5.0' : '1.4.2' }
      )
    )
    const before = ingestStats()
    const results = await ingestAll(c.id, bodies)
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
    const rows = await storedEvents(c.id)
    assert.lengthOf(rows, 6 + 33)
    const first = await db.from('telemetry_installations').where('uuid', installations[0]).first()
    assert.equal(
      Number(rows.find((row) => row.event_id === resent.id)?.installation_id),
      Number(first.id),
      'stored for the batch that came first'
    )

    const registry = await db
      .from('telemetry_installations')
      .whereIn('uuid', installations)
      .select('uuid', 'events_received', 'app_version')
    const byUuid = new Map(registry.map((row) => [row.uuid, row]))
    assert.deepEqual(
      installations.map((uuid) => Number(byUuid.get(uuid).events_received)),
      [7, 6, 6, 8, 6, 6]
    )
    assert.equal(byUuid.get(installations[5]).app_version, '1.5.0')
    const days = await db
      .from('telemetry_installation_days')
      .where('company_id', c.id)
      .sum('events as events')
      .sum('errors as errors')
    assert.equal(Number(days[0].events), 39)
    assert.equal(Number(days[0].errors), 2)
    const [issue] = await db.from('telemetry_issues').where('name', `TypeError${marker}`)
    assert.equal(Number(issue.events_count), 2)
    assert.equal(Number(issue.installations_count), 1)
  })

  test('one error from several installations and versions in one group is one issue', async ({
    assert,
  }) => {
    const { company: c, error, marker } = await company()
    const installations = await known(c.id, 4)
    const versions = ['1.4.2', '1.4.2', '1.5.0', '1.5.0']
    const before = ingestStats()
    await ingestAll(
      c.id,
      installations.map((installationId, index) =>
        batch(
          [
            error(),
            error({
              name: `RangeError${marker}`,
              message: 'Invalid array length',
              stack:
                'RangeError: Invalid array length\n    at grow (app://renderer/src/buffer.ts:7:9)',
            }),
          ],
          { installationId, appVersion: versions[index] }
        )
      )
    )
    assert.equal(ingestStats().groups - before.groups, 1)

    const issues = await db
      .from('telemetry_issues')
      .where('name', 'like', `%${marker}`)
      .orderBy('id')
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
    const linked = await db
      .from('telemetry_events')
      .where('company_id', c.id)
      .whereNotNull('issue_id')
      .count('* as n')
    assert.equal(Number(linked[0].n), 8)
  })

  test('a resolved issue seen in a newer version within a group reopens as a regression', async ({
    assert,
  }) => {
    const { company: c, error, marker } = await company()
    const installations = await known(c.id, 3)
    await ingestAll(c.id, [batch([error()], { installationId: installations[0] })])
    await db
      .from('telemetry_issues')
      .where('name', `TypeError${marker}`)
      .update({ status: 'resolved', resolved_version: '1.4.2' })
    await ingestAll(
      c.id,
      installations.map((installationId, index) =>
        batch([error()], { installationId, appVersion: ['1.4.0', '1.4.2', '1.6.0'][index] })
      )
    )
    const [issue] = await db.from('telemetry_issues').where('name', `TypeError${marker}`)
    assert.equal(issue.status, 'open')
    assert.isTrue(Boolean(issue.regressed))
    assert.equal(issue.last_version, '1.6.0')
    assert.equal(Number(issue.events_count), 4)
    assert.equal(Number(issue.installations_count), 3)
  })

  test('times seen never go back when an older batch commits last', async ({ assert }) => {
    const { company: c, error, marker } = await company()
    const [installationId] = await known(c.id, 1)
    const now = Date.now()
    await ingestAll(c.id, [batch([error({ timestamp: now })], { installationId })])
    await ingestAll(c.id, [batch([error({ timestamp: now - 3_600_000 })], { installationId })])
    const [issue] = await db.from('telemetry_issues').where('name', `TypeError${marker}`)
    const [version] = await db.from('telemetry_issue_versions').where('issue_id', issue.id)
    assert.equal(Number(issue.last_seen_at), now)
    assert.equal(Number(version.last_seen_at), now)
    assert.equal(Number(version.events_count), 2)
  })

  test('a group locks its installations together: last seen never goes back, a gone one fails it', async ({
    assert,
  }) => {
    const { company: c, owner } = await company()
    const uuids = await known(c.id, 3)
    const ids = (await db.from('telemetry_installations').whereIn('uuid', uuids).orderBy('id')).map(
      (row) => Number(row.id)
    )
    await db
      .from('telemetry_installations')
      .where('id', ids[0])
      .update({ os_version: 'Windows 10', locale: 'fr-FR' })
    const later = Date.now() + 3_600_000
    await db.from('telemetry_installations').where('id', ids[1]).update({ last_seen_at: later })
    const now = Date.now()
    const envelope = (osVersion: string | null) => ({
      installationId: randomUUID(),
      appVersion: '2.0.0',
      platform: 'linux',
      osVersion,
      locale: null,
    })
    /* Given out of order: locked in ascending id order all the same. */
    const locks = [
      {
        ref: { id: ids[2], companyId: c.id },
        envelope: envelope('Ubuntu 24.04'),
        userId: owner.id,
        now,
      },
      { ref: { id: ids[0], companyId: c.id }, envelope: envelope(null), userId: null, now },
      { ref: { id: ids[1], companyId: c.id }, envelope: envelope(null), userId: null, now },
    ]
    const statements: string[] = []
    const locked = await db.transaction(async (trx) => {
      const rawQuery = trx.rawQuery.bind(trx)
      trx.rawQuery = ((sql: string, ...rest: any[]) => {
        statements.push(sql)
        return (rawQuery as any)(sql, ...rest)
      }) as typeof trx.rawQuery
      return lockInstallations(trx, locks)
    })
    assert.isTrue(locked)
    if (db.connection().dialect.name === 'postgres') {
      assert.lengthOf(statements, 1, 'one statement locks and updates the three installations')
      assert.match(statements[0], /ORDER BY id FOR UPDATE/)
    }
    const rows = await db.from('telemetry_installations').whereIn('id', ids).orderBy('id')
    assert.deepEqual(
      rows.map((row) => [
        row.app_version,
        row.platform,
        row.os_version,
        row.locale,
        row.last_user_id === null ? null : Number(row.last_user_id),
        Number(row.last_seen_at),
      ]),
      [
        ['2.0.0', 'linux', 'Windows 10', 'fr-FR', null, now],
        ['2.0.0', 'linux', '10.0.22631', 'en-US', null, later],
        ['2.0.0', 'linux', 'Ubuntu 24.04', 'en-US', owner.id, now],
      ]
    )

    await db.from('telemetry_events').where('installation_id', ids[1]).delete()
    await db.from('telemetry_installations').where('id', ids[1]).delete()
    const trx = await db.transaction()
    try {
      assert.isFalse(await lockInstallations(trx, locks), 'an installation deleted meanwhile')
    } finally {
      await trx.rollback()
    }
  })

  test('a group that fails is stored again batch by batch, nothing lost or counted twice', async ({
    assert,
  }) => {
    const { company: c } = await company()
    const installations = await known(c.id, 3)
    /* The second installation is deleted behind the process's back: locking it fails the group. */
    await db.from('telemetry_installations').where('uuid', installations[1]).delete()
    const before = ingestStats()
    const bodies = installations.map((installationId) =>
      batch(
        Array.from({ length: 4 }, () => event()),
        { installationId }
      )
    )
    const results = await ingestAll(c.id, bodies)
    const after = ingestStats()

    assert.equal(after.failedGroups - before.failedGroups, 1)
    assert.deepEqual(
      results.map((result) => [result.accepted, result.duplicates]),
      [
        [4, 0],
        [4, 0],
        [4, 0],
      ]
    )
    const stored = (await storedEvents(c.id)).map((row) => row.event_id)
    for (const body of bodies) for (const sent of body.events) assert.include(stored, sent.id)
    const registry = await db
      .from('telemetry_installations')
      .whereIn('uuid', installations)
      .orderBy('uuid')
    const received = Object.fromEntries(
      registry.map((row) => [row.uuid, Number(row.events_received)])
    )
    assert.deepEqual(received, {
      [installations[0]]: 5,
      [installations[1]]: 4,
      [installations[2]]: 5,
    })
    const days = await db
      .from('telemetry_installation_days')
      .where('company_id', c.id)
      .sum('events as events')
    assert.equal(Number(days[0].events), 3 + 12, 'each batch counted once in the rollups')
  })

  test('forty racing requests re-sending each other’s events: each event stored once, counts exact', async ({
    client,
    assert,
  }) => {
    const { company: c, token, error, marker } = await company()
    const installations = Array.from({ length: 8 }, () => randomUUID())
    /* 20 batches of 10 events, each sent twice at once (a client retry racing its original). */
    const bodies = Array.from({ length: 20 }, (_, index) =>
      batch(
        Array.from({ length: 10 }, (__, e) => (e === 0 ? error() : event())),
        { installationId: installations[index % installations.length] }
      )
    )
    const responses = await Promise.all(
      [...bodies, ...bodies].map((body) =>
        client.post('/api/v1/telemetry/batch').bearerToken(token).json(body)
      )
    )
    for (const response of responses) response.assertStatus(202)
    const accepted = responses.reduce((sum, r) => sum + r.body().accepted, 0)
    const duplicates = responses.reduce((sum, r) => sum + r.body().duplicates, 0)
    assert.equal(accepted, 200)
    assert.equal(duplicates, 200)

    const rows = await storedEvents(c.id)
    assert.lengthOf(rows, 200)
    const registry = await db.from('telemetry_installations').where('company_id', c.id)
    assert.equal(
      registry.reduce((sum, row) => sum + Number(row.events_received), 0),
      200
    )
    const days = await db
      .from('telemetry_installation_days')
      .where('company_id', c.id)
      .sum('events as events')
    assert.equal(Number(days[0].events), 200)
    const [issue] = await db.from('telemetry_issues').where('name', `TypeError${marker}`)
    assert.equal(Number(issue.events_count), 20)
    assert.equal(Number(issue.installations_count), 8)
  })

  test('a batch whose COMMIT PostgreSQL refuses is not acknowledged and leaves nothing', async ({
    client,
    assert,
  }) => {
    const { company: c, token } = await company()
    /* Raises at COMMIT, after every statement succeeded. */
    await refusingRows(
      { table: 'telemetry_events', column: 'name', value: 'refused.at.commit', at: 'commit' },
      async () => {
        const installationId = randomUUID()
        const response = await client
          .post('/api/v1/telemetry/batch')
          .bearerToken(token)
          .json(batch([event(), event({ name: 'refused.at.commit' })], { installationId }))
        assert.isAtLeast(response.status(), 500, 'a 202 for events that are not stored')
        assert.lengthOf(await storedEvents(c.id), 0)
        const installation = await db
          .from('telemetry_installations')
          .where('uuid', installationId)
          .first()
        assert.equal(Number(installation?.events_received ?? 0), 0)
      }
    )
  }).skip(
    db.connection().dialect.name !== 'postgres',
    'a constraint trigger deferred to COMMIT is a PostgreSQL feature (DB_CONNECTION=pg)'
  )

  test('a batch whose day rollup PostgreSQL refuses (sent together with the registry counter) leaves nothing; sent again, it is stored once', async ({
    client,
    assert,
  }) => {
    const { company: c, token, error } = await company()
    const installationId = randomUUID()
    const sent = batch([event(), event(), error()], {
      installationId,
      appVersion: '9.9.9-refused',
    })
    const received = async () =>
      Number(
        (await db.from('telemetry_installations').where('uuid', installationId).first())
          ?.events_received ?? 0
      )
    /* The rollup's INSERT … ON CONFLICT is refused; the counter UPDATE right behind it is aborted. */
    await refusingRows(
      {
        table: 'telemetry_installation_days',
        column: 'app_version',
        value: '9.9.9-refused',
        at: 'insert',
      },
      async () => {
        const response = await client.post('/api/v1/telemetry/batch').bearerToken(token).json(sent)
        assert.isAtLeast(response.status(), 500, 'a 202 for events that are not stored')
        assert.lengthOf(await storedEvents(c.id), 0)
        assert.equal(await received(), 0)
      }
    )
    const again = await client.post('/api/v1/telemetry/batch').bearerToken(token).json(sent)
    again.assertStatus(202)
    assert.deepInclude(again.body(), { accepted: 3, duplicates: 0 })
    assert.lengthOf(await storedEvents(c.id), 3)
    assert.equal(await received(), 3)
    const days = await db
      .from('telemetry_installation_days')
      .where('company_id', c.id)
      .select('events', 'errors')
    assert.deepEqual(
      days.map((row) => [Number(row.events), Number(row.errors)]),
      [[3, 1]]
    )
  }).skip(
    db.connection().dialect.name !== 'postgres',
    'the rollup and the counter go out together on PostgreSQL only (DB_CONNECTION=pg)'
  )

  test('a batch whose database connection is lost is answered 503 E_DATABASE_UNAVAILABLE; sent again, it is stored once', async ({
    client,
    assert,
  }) => {
    const { c, post, body } = await knownInstallation(client)

    /* Another session holds the installation's row: the batch's transaction waits behind it. */
    const blocker = await db.transaction()
    let response
    try {
      await blocker
        .from('telemetry_installations')
        .where('uuid', body.installationId)
        .forUpdate()
        .select('id')
      const pending = post(body).then((answered) => answered)
      /* The database drops the waiting session (a restart, a failover, an operator). */
      await dropWaitingSession()
      response = await pending
    } finally {
      await blocker.rollback()
    }
    response.assertStatus(503)
    assert.equal(apiErrors(response)[0].code, 'E_DATABASE_UNAVAILABLE')
    assert.equal(response.header('retry-after'), '2')
    assert.equal(response.body().errors[0].retryAfter, 2)
    assert.lengthOf(await storedEvents(c.id), 1)

    const again = await post(body)
    again.assertStatus(202)
    assert.deepEqual(again.body(), { accepted: 2, duplicates: 0, rejected: [] })
    const stored = await storedEvents(c.id)
    assert.lengthOf(stored, 3)
    assert.sameMembers(
      body.events.map((e: { id: string }) => e.id),
      stored.map((e: any) => e.event_id).filter((id: string) => id !== stored[0].event_id)
    )
  }).skip(isSqliteConnection(), 'a server database drops sessions (DB_CONNECTION=pg or mysql)')

  test('a batch kept waiting past the wait by another process holding the SQLite write lock is answered 503 E_DATABASE_BUSY; sent again, it is stored once', async ({
    client,
    assert,
  }) => {
    const { c, post, body } = await knownInstallation(client)

    /* Another process (an ace command, a backup) holds the file's write lock past the wait. */
    const config = db.manager.get(db.primaryConnectionName)!.config as any
    const other = new Database(config.connection.filename)
    let response
    try {
      other.exec('BEGIN IMMEDIATE')
      response = await post(body)
    } finally {
      other.exec('ROLLBACK')
      other.close()
    }
    response.assertStatus(503)
    assert.equal(apiErrors(response)[0].code, 'E_DATABASE_BUSY')
    assert.equal(response.header('retry-after'), '1')
    assert.lengthOf(await storedEvents(c.id), 1)

    const again = await post(body)
    again.assertStatus(202)
    assert.deepEqual(again.body(), { accepted: 2, duplicates: 0, rejected: [] })
    assert.lengthOf(await storedEvents(c.id), 3)
  })
    .skip(!isSqliteConnection(), 'SQLite only: server databases wait for locks on the server')
    .timeout(20_000)

  test('a group behind the SQLite write lock past the wait fails whole, without each batch waiting again', async ({
    assert,
  }) => {
    const { company: c } = await company()
    const installations = await known(c.id, 3)
    const config = db.manager.get(db.primaryConnectionName)!.config as any
    const other = new Database(config.connection.filename)
    const ingest = await app.container.make(TelemetryIngest)
    const before = ingestStats()
    let outcomes: PromiseSettledResult<unknown>[]
    try {
      other.exec('BEGIN IMMEDIATE')
      outcomes = await Promise.allSettled(
        installations.map((installationId) =>
          ingest.ingest(
            { companyId: c.id, userId: null },
            checkBatch(batch([event()], { installationId }), Date.now())
          )
        )
      )
    } finally {
      other.exec('ROLLBACK')
      other.close()
    }
    const after = ingestStats()
    assert.equal(after.groups - before.groups, 1, 'one group, no batch run again alone')
    assert.equal(after.failedGroups - before.failedGroups, 1)
    assert.deepEqual(
      outcomes.map((outcome) =>
        outcome.status === 'rejected' ? (outcome.reason as { code?: string }).code : 'stored'
      ),
      ['SQLITE_BUSY', 'SQLITE_BUSY', 'SQLITE_BUSY']
    )
    assert.lengthOf(await storedEvents(c.id), 3)
  })
    .skip(!isSqliteConnection(), 'SQLite only: server databases wait for locks on the server')
    .timeout(20_000)
})
