import { mkdir } from 'node:fs/promises'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { isolate } from '#tests/helpers/database'
import { createCompanyWithOwner, PASSWORD } from '#accounts/database/factories/user_factory'
import { withStandin } from '#billing/tests/helpers/billing'

/*
| The whole purchase flow in Chromium, offline: pick a plan, pay on the stand-in's Checkout,
| come back to an active plan with its credits; buy a pack while a second tab watches the
| balance change live; cancel in the portal. Screenshots in tmp/screenshots/billing-*.png.
*/
const shots = app.makePath('tmp/screenshots')

test.group('Billing in the browser', (group) => {
  isolate(group)
  const stripe = withStandin(group)
  group.setup(async () => {
    await mkdir(shots, { recursive: true })
  })

  test('subscribe, get the monthly credits, buy a pack live, cancel in the portal', async ({
    visit,
    browserContext,
    assert,
  }) => {
    const { company, owner } = await createCompanyWithOwner()
    const page = await visit('/login')
    await page.fill('#email', owner.email)
    await page.fill('#password', PASSWORD)
    await page.click('button[type=submit]')
    await page.waitForURL('**/dashboard')

    const billing = `/companies/${company.id}/billing`
    await page.goto(`${billing}/plans`)
    await page.screenshot({ path: `${shots}/billing-plans.png`, fullPage: true })
    await page.click('[data-plan=pro] button:has-text("Start free trial")')
    await page.waitForURL(`${stripe.standin.url}/checkout/**`)
    await page.screenshot({ path: `${shots}/billing-checkout.png` })
    await page.click('#pay')
    await page.waitForURL(`**${billing}?checkout=subscribed**`)
    assert.equal((await page.textContent('[data-plan-name]'))?.trim(), 'Pro')
    assert.equal((await page.textContent('[data-status]'))?.trim(), 'trialing')
    assert.equal((await page.textContent('[data-available]'))?.trim(), '5,000')

    const watcher = await browserContext.newPage()
    await watcher.goto(billing)
    await watcher.evaluate(() => ((globalThis as any).__sameDocument = true))
    await page.click('[data-pack=small] button:has-text("Buy")')
    await page.waitForURL(`${stripe.standin.url}/checkout/**`)
    await page.click('#pay')
    await page.waitForURL(`**${billing}?checkout=purchased**`)
    assert.equal((await page.textContent('[data-available]'))?.trim(), '6,000')
    await watcher.waitForSelector('[data-available]:has-text("6,000")', { timeout: 10_000 })
    assert.isTrue(await watcher.evaluate(() => (globalThis as any).__sameDocument === true))
    await page.screenshot({ path: `${shots}/billing-page.png`, fullPage: true })

    await page.click('button:has-text("Manage billing")')
    await page.waitForURL(`${stripe.standin.url}/portal/**`)
    await page.click('#cancel-subscription')
    await page.waitForSelector('#resume')
    await page.screenshot({ path: `${shots}/billing-portal.png` })
    await page.click('#return')
    await page.waitForURL(`**${billing}`)
    await page.waitForSelector('[data-subscription]:has-text("Cancels on")')
    const row = await db.from('billing_subscriptions').where('company_id', company.id).first()
    assert.isTrue(Boolean(row.cancel_at_period_end))
    assert.equal(row.plan, 'pro')
    await page.screenshot({ path: `${shots}/billing-canceling.png`, fullPage: true })
  }).timeout(60_000)
})
