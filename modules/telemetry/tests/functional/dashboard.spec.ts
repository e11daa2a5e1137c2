import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { isolate } from '#tests/helpers/database'
import {
  createCompanyWithOwner,
  createMember,
  UserFactory,
} from '#accounts/database/factories/user_factory'
import { batch, errorEvent, event, ingestCompany } from '#telemetry/tests/helpers/telemetry'
import { listEvents } from '#telemetry/services/event_queries'

async function send(client: any, token: string, body: unknown) {
  const response = await client.post('/api/v1/telemetry/batch').bearerToken(token).json(body)
  response.assertStatus(202)
}

test.group('Telemetry dashboards', (group) => {
  isolate(group)

  test('the admin overview counts from the rollups', async ({ client, assert }) => {
    const admin = await UserFactory.apply('admin').create()
    const { token } = await ingestCompany()
    await send(client, token, batch([event(), event(), errorEvent()]))
    await send(client, token, batch([event()], { appVersion: '1.5.0' }))
    const page = await client.get('/admin/telemetry').loginAs(admin).withInertia()
    page.assertInertiaComponent('telemetry/admin/dashboard')
    const props = page.inertiaProps as any
    assert.deepEqual(props.stats, {
      activeToday: 2,
      activeWeek: 2,
      eventsWeek: 4,
      errorsWeek: 1,
      crashFreeWeek: 0.5,
    })
    assert.lengthOf(props.series, 30)
    assert.deepEqual(props.series.at(-1), {
      date: new Date().toISOString().slice(0, 10),
      events: 4,
      errors: 1,
      installations: 2,
    })
    assert.sameDeepMembers(props.versions, [
      { version: '1.4.2', installations: 1 },
      { version: '1.5.0', installations: 1 },
    ])
    assert.lengthOf(props.issues, 1)
    assert.lengthOf(props.installations, 2)
  })

  test('only platform admins open the admin pages', async ({ client }) => {
    const { owner } = await createCompanyWithOwner()
    for (const path of [
      '/admin/telemetry',
      '/admin/telemetry/issues',
      '/admin/telemetry/events',
      '/admin/telemetry/releases',
      '/admin/telemetry/events/export?format=csv',
    ]) {
      const response = await client.get(path).loginAs(owner)
      response.assertStatus(403)
    }
  })

  test('the logs viewer filters and pages with a cursor', async ({ client, assert }) => {
    const admin = await UserFactory.apply('admin').create()
    const { company, token } = await ingestCompany()
    const other = await ingestCompany()
    const logs = Array.from({ length: 5 }, (_, i) =>
      event({
        type: 'log',
        level: i % 2 ? 'warn' : 'info',
        name: 'sync',
        message: `synced ${i} files`,
        timestamp: Date.now() - (5 - i) * 1000,
      })
    )
    const body = batch(logs)
    await send(client, token, body)
    await send(
      client,
      other.token,
      batch([event({ type: 'log', level: 'warn', name: 'sync', message: 'elsewhere' })])
    )

    const warn = await client
      .get('/admin/telemetry/events')
      .qs({ level: 'warn', company: company.id })
      .loginAs(admin)
      .withInertia()
    assert.deepEqual(
      (warn.inertiaProps as any).events.map((e: any) => e.message),
      ['synced 3 files', 'synced 1 files']
    )

    const first = await client
      .get('/admin/telemetry/events')
      .qs({ installation: body.installationId, limit: 2 })
      .loginAs(admin)
      .withInertia()
    const page1 = first.inertiaProps as any
    assert.deepEqual(
      page1.events.map((e: any) => e.message),
      ['synced 4 files', 'synced 3 files']
    )
    const second = await client
      .get('/admin/telemetry/events')
      .qs({ installation: body.installationId, limit: 2, cursor: page1.nextCursor })
      .loginAs(admin)
      .withInertia()
    assert.deepEqual(
      (second.inertiaProps as any).events.map((e: any) => e.message),
      ['synced 2 files', 'synced 1 files']
    )

    const text = await client
      .get('/admin/telemetry/events')
      .qs({ q: 'ELSEWHERE' })
      .loginAs(admin)
      .withInertia()
    assert.deepEqual(
      (text.inertiaProps as any).events.map((e: any) => e.message),
      ['elsewhere']
    )
    const future = await client
      .get('/admin/telemetry/events')
      .qs({ from: new Date(Date.now() + 3600_000).toISOString().slice(0, 16) })
      .loginAs(admin)
      .withInertia()
    assert.lengthOf((future.inertiaProps as any).events, 0)
    const invalid = await client
      .get('/admin/telemetry/events')
      .qs({ from: 'soon' })
      .loginAs(admin)
      .header('accept', 'application/json')
    invalid.assertStatus(422)
  })

  test('a filter without an index searches a bounded window per page, then further', async ({
    client,
    assert,
  }) => {
    const { company, token } = await ingestCompany()
    /* Twelve logs, the rare one (level=warn) the oldest: 11 newer ones sit above it. */
    const logs = Array.from({ length: 12 }, (_, i) =>
      event({
        type: 'log',
        level: i === 0 ? 'warn' : 'info',
        name: 'sync',
        message: `log ${i}`,
        timestamp: Date.now() - (12 - i) * 1000,
      })
    )
    await send(client, token, batch(logs))
    const filters = { level: 'warn', companyId: company.id }

    /* A window of 5 rows: the first two pages find nothing, but say where to go on. */
    let cursor: string | undefined
    const pages: string[][] = []
    for (let i = 0; i < 6; i++) {
      const page = await listEvents(filters, { limit: 50, cursor, scanWindow: 5 })
      pages.push(page.data.map((e) => e.message!))
      if (!page.nextCursor) break
      cursor = page.nextCursor
    }
    assert.deepEqual(pages.flat(), ['log 0'])
    assert.isAbove(pages.length, 2)
    const top = await db.from('telemetry_events').max('id as top').first()
    assert.isAtMost(pages.length, Math.ceil(Number(top.top) / 5) + 1)

    /* The default window sees all twelve at once. */
    const whole = await listEvents(filters, { limit: 50 })
    assert.deepEqual(
      whole.data.map((e) => e.message),
      ['log 0']
    )
    assert.isNull(whole.nextCursor)
  })

  test('exports a filtered view as CSV and JSON Lines', async ({ client, assert }) => {
    const admin = await UserFactory.apply('admin').create()
    const { token } = await ingestCompany()
    const err = errorEvent({ message: 'Boom, "quoted", =SUM(A1)' })
    await send(client, token, batch([event(), err, event({ type: 'log', level: 'info' })]))

    const csv = await client
      .get('/admin/telemetry/events/export')
      .qs({ format: 'csv', type: 'error' })
      .loginAs(admin)
    csv.assertStatus(200)
    assert.match(csv.header('content-type')!, /text\/csv/)
    assert.match(
      csv.header('content-disposition')!,
      /attachment; filename="telemetry-events-.*\.csv"/
    )
    const lines = csv.text().trim().split('\r\n')
    assert.lengthOf(lines, 2)
    assert.isTrue(lines[0].startsWith('event_id,timestamp,received_at,type,level,name,message'))
    assert.include(lines[1], `${err.id},`)
    assert.include(lines[1], `"Boom, ""quoted"", =SUM(A1)"`)

    const jsonl = await client
      .get('/admin/telemetry/events/export')
      .qs({ format: 'jsonl' })
      .loginAs(admin)
    const rows = jsonl
      .text()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
    assert.lengthOf(rows, 3)
    assert.sameMembers(
      rows.map((r) => r.type),
      ['event', 'error', 'log']
    )
    assert.notProperty(rows[0], 'id')
  })

  test('admins resolve, ignore and reopen issues (audit-logged)', async ({ client, assert }) => {
    const admin = await UserFactory.apply('admin').create()
    const { token } = await ingestCompany()
    await send(client, token, batch([errorEvent()]))
    const issue = await db.from('telemetry_issues').first()
    const list = await client.get('/admin/telemetry/issues').loginAs(admin).withInertia()
    assert.equal((list.inertiaProps as any).data[0].id, issue.id)
    const detail = await client
      .get(`/admin/telemetry/issues/${issue.id}`)
      .loginAs(admin)
      .withInertia()
    const props = detail.inertiaProps as any
    assert.lengthOf(props.occurrences, 1)
    assert.include(props.occurrences[0].stack, 'renderRow')
    assert.deepEqual(
      props.versions.map((v: any) => v.version),
      ['1.4.2']
    )

    await client
      .put(`/admin/telemetry/issues/${issue.id}/status`)
      .withCsrfToken()
      .loginAs(admin)
      .form({ status: 'resolved' })
    const row = await db.from('telemetry_issues').where('id', issue.id).first()
    assert.equal(row.status, 'resolved')
    assert.equal(row.resolved_version, '1.4.2')
    const bad = await client
      .put(`/admin/telemetry/issues/${issue.id}/status`)
      .withCsrfToken()
      .loginAs(admin)
      .form({ status: 'gone' })
      .redirects(0)
    assert.equal(bad.status(), 302)
    assert.equal(
      (await db.from('telemetry_issues').where('id', issue.id).first()).status,
      'resolved'
    )
    const audit = await db.from('audit_logs').where('action', 'telemetry.issue_resolved').first()
    assert.equal(audit.subject_id, String(issue.id))
  })

  test("owners see their company's installations and usage, never another's", async ({
    client,
    assert,
  }) => {
    const mine = await ingestCompany()
    const theirs = await ingestCompany()
    const body = batch([event(), event()])
    await send(client, mine.token, body)
    await send(client, theirs.token, batch([event(), event(), event()]))
    const page = await client
      .get(`/companies/${mine.company.id}/telemetry`)
      .loginAs(mine.owner)
      .withInertia()
    page.assertInertiaComponent('telemetry/installations/index')
    const props = page.inertiaProps as any
    assert.deepEqual(
      props.installations.map((i: any) => i.id),
      [body.installationId]
    )
    assert.equal(props.stats.eventsWeek, 2)
    const nav = props.navigation.map((n: any) => n.label)
    assert.include(nav, 'Installations')

    const foreign = await client
      .get(`/companies/${theirs.company.id}/telemetry`)
      .loginAs(mine.owner)
    assert.include([403, 404], foreign.status())

    const { user: member } = await createMember(mine.company, 'member')
    const refused = await client.get(`/companies/${mine.company.id}/telemetry`).loginAs(member)
    refused.assertStatus(403)
  })
})
