import { mkdir, readFile } from 'node:fs/promises'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { isolate } from '#tests/helpers/database'
import { PASSWORD, UserFactory } from '#accounts/database/factories/user_factory'
import { LiveFeed } from '#telemetry/services/live_feed'
import {
  batch,
  errorEvent,
  event,
  ingestCompany,
  rawBatch,
} from '#telemetry/tests/helpers/telemetry'

/*
| An admin watches the telemetry dashboard in Chromium while a desktop sends a batch: the event
| shows up in the live feed without a reload. Then a filtered CSV export downloads with exactly
| the rows the filter selects. Screenshots of every telemetry page in tmp/screenshots/.
*/
const shots = app.makePath('tmp/screenshots')

async function send(token: string, body: unknown) {
  const response = await rawBatch(token, JSON.stringify(body))
  if (response.status !== 202) throw new Error(`batch refused: ${JSON.stringify(response.body)}`)
  return response.body
}

test.group('Telemetry in the browser', (group) => {
  isolate(group)
  group.setup(async () => {
    await mkdir(shots, { recursive: true })
  })

  test('a new event appears in the live feed without a reload', async ({ visit, assert }) => {
    const admin = await UserFactory.apply('admin').create()
    const { token } = await ingestCompany()
    await send(
      token,
      batch([
        event(),
        errorEvent(),
        event({ type: 'log', level: 'warn', name: 'sync', message: 'retrying' }),
      ])
    )
    ;(await app.container.make(LiveFeed)).flush()

    const page = await visit('/login')
    await page.fill('#email', admin.email)
    await page.fill('#password', PASSWORD)
    await page.click('button[type=submit]')
    await page.waitForURL('**/dashboard')
    await page.goto('/admin/telemetry')
    await page.waitForSelector('[data-live-feed]')
    await page.evaluate(() => ((globalThis as any).__sameDocument = true))
    await new Promise((resolve) => setTimeout(resolve, 800))

    const fresh = event({ name: 'render.finished', message: 'scene 7 in 41 s' })
    await send(token, batch([fresh]))
    const row = await page.waitForSelector(`[data-live-feed] [data-event-id="${fresh.id}"]`, {
      timeout: 10_000,
    })
    assert.include(await row.textContent(), 'render.finished')
    assert.isTrue(await page.evaluate(() => (globalThis as any).__sameDocument === true))
    assert.equal((await page.textContent('[data-stat=errors-week] dd'))?.trim(), '1')
    await page.screenshot({ path: `${shots}/telemetry-dashboard.png`, fullPage: true })
  }).timeout(60_000)

  test('a filtered CSV export downloads with the right rows', async ({ visit, assert }) => {
    const admin = await UserFactory.apply('admin').create()
    const { token } = await ingestCompany()
    const errors = [
      errorEvent({ timestamp: Date.now() - 3000 }),
      errorEvent({
        name: 'RangeError',
        message: 'Invalid array length',
        timestamp: Date.now() - 1000,
      }),
    ]
    await send(
      token,
      batch([event(), errors[0], event({ type: 'log', level: 'info', name: 'boot' })])
    )
    await send(token, batch([errors[1], event()], { appVersion: '1.5.0' }))
    await db.table('telemetry_releases').insert({
      version: '1.5.0',
      channel: 'stable',
      platform: 'windows',
      download_url: 'https://dl.example.com/1.5.0.exe',
      sha256: 'b'.repeat(64),
      rollout_percentage: 25,
      published_at: Date.now(),
      updated_at: Date.now(),
    })

    const page = await visit('/login')
    await page.fill('#email', admin.email)
    await page.fill('#password', PASSWORD)
    await page.click('button[type=submit]')
    await page.waitForURL('**/dashboard')
    await page.goto('/admin/telemetry/events')
    await page.selectOption('select[name=type]', 'error')
    await page.click('form[aria-label=Filters] button[type=submit]')
    await page.waitForURL('**/admin/telemetry/events?type=error')
    await page.waitForSelector(`[data-event-id="${errors[0].id}"]`)
    assert.lengthOf(await page.$$('tr[data-event-id]'), 2)
    await page.click(`tr[data-event-id="${errors[1].id}"]`)
    await page.screenshot({ path: `${shots}/telemetry-logs.png`, fullPage: true })

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-export=csv]'),
    ])
    const csv = await readFile((await download.path())!, 'utf8')
    const lines = csv.trim().split('\r\n')
    assert.isTrue(lines[0].startsWith('event_id,timestamp,received_at,type,level,name,message'))
    assert.deepEqual(
      lines.slice(1).map((line) => line.split(',')[0]),
      [errors[1].id, errors[0].id]
    )
    assert.match(download.suggestedFilename(), /^telemetry-events-.*\.csv$/)

    for (const [path, name] of [
      ['/admin/telemetry/issues', 'issues'],
      [
        `/admin/telemetry/issues/${(await db.from('telemetry_issues').orderBy('id').first()).id}`,
        'issue',
      ],
      ['/admin/telemetry/releases', 'releases'],
    ]) {
      await page.goto(path)
      await page.waitForSelector('h1')
      await page.screenshot({ path: `${shots}/telemetry-${name}.png`, fullPage: true })
    }
  }).timeout(60_000)

  test("an owner sees the company's installations", async ({ visit, assert }) => {
    const { owner, company, token } = await ingestCompany()
    const body = batch([event(), event(), errorEvent()])
    await send(token, body)
    const page = await visit('/login')
    await page.fill('#email', owner.email)
    await page.fill('#password', PASSWORD)
    await page.click('button[type=submit]')
    await page.waitForURL('**/dashboard')
    await page.goto(`/companies/${company.id}/telemetry`)
    await page.waitForSelector(`[data-installation="${body.installationId}"]`)
    assert.equal((await page.textContent('[data-stat=events-week] dd'))?.trim(), '3')
    await page.screenshot({ path: `${shots}/telemetry-installations.png`, fullPage: true })
  }).timeout(60_000)
})
