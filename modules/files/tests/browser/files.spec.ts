import { mkdir, readFile } from 'node:fs/promises'
import { createHash, randomBytes } from 'node:crypto'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { isolate } from '#tests/helpers/database'
import { createCompanyWithOwner, PASSWORD } from '#accounts/database/factories/user_factory'
import { withStorage } from '#files/tests/helpers/files'

/*
| Drag a 24 MB file onto the page, watch its progress bar move, then download it back and
| compare the bytes. Screenshot in tmp/screenshots/files.png.
*/
const shots = app.makePath('tmp/screenshots')

test.group('Files in the browser', (group) => {
  isolate(group)
  withStorage(group, 'fs')
  group.setup(async () => {
    await mkdir(shots, { recursive: true })
  })

  test('a dropped file uploads with progress and downloads back byte-identical', async ({
    visit,
    assert,
  }) => {
    const { company, owner } = await createCompanyWithOwner()
    const page = await visit('/login')
    await page.fill('#email', owner.email)
    await page.fill('#password', PASSWORD)
    await page.click('button[type=submit]')
    await page.waitForURL('**/dashboard')
    await page.goto(`/companies/${company.id}/files`)

    /* Loopback is too fast to see a bar move: upload at 8 MB/s, as over a decent line. */
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('Network.enable')
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: 8 * 1024 * 1024,
    })
    const bytes = randomBytes(24 * 1024 * 1024)
    await page.evaluate(() => {
      const seen: number[] = []
      ;(globalThis as any).__progress = seen
      const g = globalThis as any
      new g.MutationObserver(() => {
        const bar = (globalThis as any).document.querySelector('[data-progress]')
        if (bar) seen.push(Number.parseFloat(bar.style.width))
      }).observe((globalThis as any).document.body, {
        subtree: true,
        attributes: true,
        childList: true,
      })
    })
    const transfer = await page.evaluateHandle((base64: string) => {
      const binary = atob(base64)
      const data = new Uint8Array(binary.length)
      for (let i = 0; i < binary.length; i++) data[i] = binary.charCodeAt(i)
      const g = globalThis as any
      const dt = new g.DataTransfer()
      dt.items.add(new g.File([data], 'site survey.bin', { type: 'application/octet-stream' }))
      return dt
    }, bytes.toString('base64'))
    await page.dispatchEvent('[data-dropzone]', 'drop', { dataTransfer: transfer })
    await page.waitForSelector('[data-upload="site survey.bin"][data-state=done]', {
      timeout: 30_000,
    })
    const progress: number[] = await page.evaluate(() => (globalThis as any).__progress)
    assert.isTrue(
      progress.some((width) => width > 0 && width < 100),
      `progress seen: ${progress.join(', ')}`
    )
    assert.equal(progress.at(-1), 100)
    await page.waitForSelector('[data-file="site survey.bin"]')
    await page.screenshot({ path: `${shots}/files.png`, fullPage: true })

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-file="site survey.bin"] [data-download]'),
    ])
    assert.equal(download.suggestedFilename(), 'site survey.bin')
    const saved = await readFile((await download.path())!)
    const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex')
    assert.equal(sha(saved), sha(bytes))
    const row = await db.from('files').where('company_id', company.id).first()
    assert.equal(row.sha256, sha(bytes))
  }).timeout(90_000)
})
