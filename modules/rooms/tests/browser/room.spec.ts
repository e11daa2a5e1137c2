import { mkdir } from 'node:fs/promises'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import type { Browser, Page } from 'playwright-core'
import { isolate } from '#tests/helpers/database'
import { testServerUrl } from '#tests/helpers/realtime'
import { PASSWORD } from '#accounts/database/factories/user_factory'
import { roomFor, team } from '#rooms/tests/helpers/rooms'

/*
| Two people in two Chromium contexts (fake camera and microphone): they join one room, chat,
| see each other, share the timer — one of them with a clock 7 s fast — and connect a WebRTC
| call on loopback. Screenshots in tmp/screenshots/rooms-*.png.
*/
const shots = app.makePath('tmp/screenshots')

async function signedIn(browser: Browser, email: string, clockSkewMs = 0) {
  const context = await browser.newContext({
    baseURL: testServerUrl(),
    viewport: { width: 1400, height: 1000 },
  })
  if (clockSkewMs)
    await context.addInitScript((skew) => {
      const real = Date.now
      Date.now = () => real() + skew
    }, clockSkewMs)
  const page = await context.newPage()
  await page.goto('/login')
  await page.fill('#email', email)
  await page.fill('#password', PASSWORD)
  await page.click('button[type=submit]')
  await page.waitForURL('**/dashboard')
  return { context, page }
}

/* When the phase ends, on the real clock, by what this screen shows right now. */
const endsAt = (page: Page) =>
  page.$eval('[data-timer-clock]', (clock: any) => {
    return Number(clock.dataset.tickedAt) + Number(clock.dataset.remainingMs)
  })

/* Distinct colours in a frame of the remote video: a live picture, not a black box. */
const colours = (page: Page) =>
  page.$eval('[data-remote-video]', (video: any) => {
    const canvas = (globalThis as any).document.createElement('canvas')
    canvas.width = 160
    canvas.height = 90
    const g = canvas.getContext('2d')
    g.drawImage(video, 0, 0, canvas.width, canvas.height)
    const data = g.getImageData(0, 0, canvas.width, canvas.height).data
    const seen = new Set<number>()
    for (let i = 0; i < data.length; i += 4)
      seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2])
    return seen.size
  })

test.group('Rooms in the browser', (group) => {
  isolate(group)
  group.setup(async () => {
    await mkdir(shots, { recursive: true })
  })

  test('two people chat, see each other, share the timer and talk over WebRTC', async ({
    browser,
    assert,
    cleanup,
  }) => {
    const { company, owner, member } = await team()
    const room = await roomFor(company, owner, { name: 'Focus room' })
    const ada = await signedIn(browser, owner.email)
    const bo = await signedIn(browser, member.email, 7000)
    cleanup(async () => {
      await ada.context.close()
      await bo.context.close()
    })

    await ada.page.goto(`/companies/${company.id}/rooms`)
    await ada.page.screenshot({ path: `${shots}/rooms-index.png`, fullPage: true })
    const url = `/companies/${company.id}/rooms/${room.id}`
    await ada.page.goto(url)
    await bo.page.goto(url)
    await ada.page.waitForSelector('[data-present="Bo Member"]')
    await bo.page.waitForSelector('[data-present="Ada Owner"]')

    await ada.page.fill('[aria-label=Message]', 'Morning! Shall we do a focus block?')
    await ada.page.press('[aria-label=Message]', 'Enter')
    await bo.page.waitForSelector('[data-message-body]:has-text("Shall we do a focus block?")')
    await bo.page.fill('[aria-label=Message]', 'Yes, 25 minutes, then coffee.')
    await bo.page.press('[aria-label=Message]', 'Enter')
    await ada.page.waitForSelector('[data-message-body]:has-text("then coffee")')

    await ada.page.click('[data-timer] button:has-text("Start")')
    await bo.page.waitForSelector('[data-timer-status]:has-text("running")')
    await new Promise((resolve) => setTimeout(resolve, 500))
    const [adaEnds, boEnds] = [await endsAt(ada.page), await endsAt(bo.page)]
    assert.isBelow(Math.abs(adaEnds - boEnds), 100, `screens differ by ${adaEnds - boEnds} ms`)
    assert.match((await bo.page.textContent('[data-timer-clock]'))!.trim(), /^2[45]:\d\d$/)

    await ada.page.click('button:has-text("Join call")')
    await bo.page.click('button:has-text("Join call")')
    for (const page of [ada.page, bo.page]) {
      await page.waitForSelector('[data-tile=remote][data-peer-state=connected]', {
        timeout: 20_000,
      })
      await page.waitForFunction(
        () => {
          const video = (globalThis as any).document.querySelector('[data-remote-video]')
          return !!video && video.readyState >= 2 && !video.paused && video.videoWidth > 0
        },
        undefined,
        { timeout: 20_000 }
      )
      assert.isAbove(await colours(page), 20)
    }
    await bo.page.click('button:has-text("Mute")')
    await ada.page.waitForSelector('[data-tile=remote] figcaption:has-text("muted")')

    await ada.page.screenshot({ path: `${shots}/rooms-room.png`, fullPage: true })
    await bo.page.screenshot({ path: `${shots}/rooms-room-second.png`, fullPage: true })
  }).timeout(90_000)
})

test.group('Rooms in the browser: managing', (group) => {
  isolate(group)

  test('an owner creates an invite-only room from the form and adds a colleague', async ({
    browser,
    assert,
    cleanup,
  }) => {
    const { company, owner, member } = await team()
    const ada = await signedIn(browser, owner.email)
    cleanup(() => ada.context.close())
    await ada.page.goto(`/companies/${company.id}/rooms`)
    await ada.page.fill('#name', 'Hiring')
    await ada.page.fill('#topic', 'Candidates and offers')
    await ada.page.selectOption('#visibility', 'invite_only')
    await ada.page.click('button:has-text("Create room")')
    await ada.page.waitForSelector('h1:has-text("# Hiring")')
    await ada.page.selectOption('[aria-label="Person to add"]', String(member.id))
    await ada.page.click('button:has-text("Add")')
    await ada.page.waitForSelector('text=Members · 2')
    await ada.page.screenshot({ path: `${shots}/rooms-invite-only.png`, fullPage: true })

    const bo = await signedIn(browser, member.email)
    cleanup(() => bo.context.close())
    await bo.page.goto(`/companies/${company.id}/rooms`)
    await bo.page.waitForSelector('[data-room="Hiring"]')
    assert.include(await bo.page.textContent('[data-room="Hiring"]'), 'invite-only')
  }).timeout(60_000)
})
