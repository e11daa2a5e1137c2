import { mkdir } from 'node:fs/promises'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { isolate } from '#tests/helpers/database'
import { createCompanyWithOwner, PASSWORD } from '#accounts/database/factories/user_factory'
import { CreditsService } from '#credits/services/credits_service'
import { grant } from '#credits/tests/helpers/credits'

/*
| An owner watches the credits page in Chromium while a desktop spends through the API: the
| balance and the ledger change without a reload, and the low-balance warning appears.
| Screenshot in tmp/screenshots/credits.png.
*/
const shots = app.makePath('tmp/screenshots')

test.group('Credits in the browser', (group) => {
  isolate(group)
  group.setup(async () => {
    await mkdir(shots, { recursive: true })
  })

  test('the balance moves live when credits are spent elsewhere', async ({ visit, assert }) => {
    const { owner, company } = await createCompanyWithOwner()
    const credits = await app.container.make(CreditsService)
    const actor = { type: 'token' as const, id: '1:1' }
    await grant(company.id, 5000, { expiresAt: Date.now() + 20 * 86_400_000 })
    await grant(company.id, 2500)
    await credits.setLowBalanceThreshold(company.id, 1000)
    for (const [amount, reason] of [
      [420, 'Render scene'],
      [180, 'Upscale textures'],
      [95, 'Bake lighting'],
    ] as const)
      await credits.consume(company.id, { amount, actor, reason })
    await credits.hold(company.id, { amount: 300, ttlSeconds: 3600, actor, reason: 'Export video' })

    const page = await visit('/login')
    await page.fill('#email', owner.email)
    await page.fill('#password', PASSWORD)
    await page.click('button[type=submit]')
    await page.waitForURL('**/dashboard')
    await page.goto(`/companies/${company.id}/credits`)
    assert.equal((await page.textContent('[data-test=available]'))?.trim(), '6,505')
    await page.evaluate(() => ((globalThis as any).__sameDocument = true))
    await new Promise((resolve) => setTimeout(resolve, 500))

    await credits.consume(company.id, { amount: 5, actor, reason: 'Thumbnail' })
    await page.waitForSelector('[data-test=available]:has-text("6,500")', { timeout: 10_000 })
    await page.waitForSelector('[data-test=entry]:has-text("Thumbnail")', { timeout: 10_000 })
    await page.screenshot({ path: `${shots}/credits.png`, fullPage: true })

    await credits.consume(company.id, { amount: 5600, actor, reason: 'Long render' })
    await page.waitForSelector('[role=alert]:has-text("below your warning level")', {
      timeout: 10_000,
    })
    /* The owner is also told in the app, wherever they are: a toast from `credits.low_balance`. */
    await page.waitForSelector('[data-flash=error]:has-text("credits left, below 1,000")', {
      timeout: 10_000,
    })
    assert.equal((await page.textContent('[data-test=available]'))?.trim(), '900')
    /* Changes that arrive within a second of each other still reach the lists (trailing reload). */
    await page.waitForSelector('[data-test=entry]:has-text("Long render")', { timeout: 10_000 })
    assert.isTrue(await page.evaluate(() => (globalThis as any).__sameDocument === true))
    await page.screenshot({ path: `${shots}/credits-low.png`, fullPage: true })
  })
})

test.group('Credits in the browser: missed pushes', (group) => {
  isolate(group)

  test('a change committed while the tab could not connect shows once it connects', async ({
    visit,
    assert,
  }) => {
    const { owner, company } = await createCompanyWithOwner()
    const credits = await app.container.make(CreditsService)
    await grant(company.id, 1000)

    const page = await visit('/login')
    /*
    | The realtime connection hangs (as on a slow network) until `connect()`: it reaches the server
    | only then, so the push sent meanwhile is lost for this tab.
    */
    let connect = () => {}
    const connecting = new Promise<void>((resolve) => (connect = resolve))
    await page.routeWebSocket('**/socket.io/**', async (socket) => {
      await connecting
      socket.connectToServer()
    })
    await page.fill('#email', owner.email)
    await page.fill('#password', PASSWORD)
    await page.click('button[type=submit]')
    await page.waitForURL('**/dashboard')
    await page.goto(`/companies/${company.id}/credits`)
    assert.equal((await page.textContent('[data-test=available]'))?.trim(), '1,000')

    await credits.consume(company.id, {
      amount: 250,
      actor: { type: 'system' },
      reason: 'While offline',
    })
    await new Promise((resolve) => setTimeout(resolve, 1000))
    assert.equal((await page.textContent('[data-test=available]'))?.trim(), '1,000')

    connect()
    await page.waitForSelector('[data-test=available]:has-text("750")', { timeout: 20_000 })
    await page.waitForSelector('[data-test=entry]:has-text("While offline")', { timeout: 10_000 })
  })
})

test.group('Credits admin in the browser', (group) => {
  isolate(group)

  test('an admin grants credits from the company ledger page', async ({ visit, assert }) => {
    const { owner, company } = await createCompanyWithOwner()
    owner.isAdmin = true
    await owner.save()
    await grant(company.id, 800)
    const credits = await app.container.make(CreditsService)
    await credits.consume(company.id, { amount: 120, actor: { type: 'system' }, reason: 'Render' })

    const page = await visit('/login')
    await page.fill('#email', owner.email)
    await page.fill('#password', PASSWORD)
    await page.click('button[type=submit]')
    await page.waitForURL('**/dashboard')
    await page.goto('/admin/credits')
    await page.screenshot({ path: `${shots}/credits-admin-index.png`, fullPage: true })
    await page.click(`[data-company="${company.name}"] a`)
    await page.waitForURL(`**/admin/companies/${company.id}/credits`)
    await page.fill('form[aria-label="Grant credits"] input[name=amount]', '250')
    await page.fill('form[aria-label="Grant credits"] input[name=reason]', 'Launch promotion')
    await page.click('form[aria-label="Grant credits"] button[type=submit]')
    await page.waitForSelector('[data-test=entry]:has-text("Launch promotion")')
    await page.screenshot({ path: `${shots}/credits-admin-show.png`, fullPage: true })
    assert.equal((await credits.balance(company.id)).balance, 930)
  })
})
