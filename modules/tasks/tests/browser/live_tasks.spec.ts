import { join } from 'node:path'
import { mkdir } from 'node:fs/promises'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import RecordJob from '#tests/fixtures/jobs/record'
import { isolate } from '#tests/helpers/database'
import { makeQueue, scratchDir } from '#tests/helpers/queue'
import { createCompanyWithOwner, PASSWORD } from '#accounts/database/factories/user_factory'

/*
| A person watches a task in Chromium: the progress bar moves and the download appears without
| reloading the page; an admin then opens the System page. Screenshots land in tmp/screenshots/.
*/
const shots = app.makePath('tmp/screenshots')

test.group('Tasks in the browser', (group) => {
  isolate(group)
  group.setup(async () => {
    await mkdir(shots, { recursive: true })
  })

  test('progress reaches the page live, then the result can be downloaded', async ({
    visit,
    assert,
  }) => {
    const { owner, company } = await createCompanyWithOwner()
    owner.isAdmin = true
    await owner.save()
    const harness = await makeQueue('database')
    try {
      const page = await visit('/login')
      await page.fill('#email', owner.email)
      await page.fill('#password', PASSWORD)
      await page.click('button[type=submit]')
      await page.waitForURL('**/dashboard')
      await page.goto(`/companies/${company.id}/tasks`)
      await page.waitForSelector('text=No tasks yet')
      await page.evaluate(() => ((globalThis as any).__sameDocument = true))

      const dir = await scratchDir()
      await harness.work()
      const { taskId } = await harness.queue.dispatch(
        RecordJob,
        {
          file: join(dir, 'r.log'),
          label: 'members',
          steps: 5,
          stepMs: 500,
          resultFile: join(dir, 'out.csv'),
        },
        { task: { companyId: company.id, userId: owner.id, title: 'Export members' } }
      )
      const row = `[data-task="${taskId}"]`
      await page.waitForSelector(`${row} [role=progressbar][aria-valuenow="40"]`, {
        timeout: 10_000,
      })
      await page.screenshot({ path: `${shots}/tasks-running.png`, fullPage: true })
      await page.waitForSelector(`${row}[data-status=completed]`, { timeout: 10_000 })
      assert.equal(await page.textContent(`${row} [data-role=percent]`), '100%')
      assert.isTrue(await page.evaluate(() => (globalThis as any).__sameDocument === true))
      const download = await page.getAttribute(`${row} [data-role=download]`, 'href')
      assert.equal(download, `/companies/${company.id}/tasks/${taskId}/result`)
      await page.screenshot({ path: `${shots}/tasks-done.png`, fullPage: true })

      await page.goto(`/companies/${company.id}/tasks/${taskId}`)
      await page.waitForSelector('[data-role=log] >> text=step 5 done')
      await page.screenshot({ path: `${shots}/task-show.png`, fullPage: true })

      await page.goto('/admin/system')
      await page.waitForSelector('[data-check=database][data-status=ok]')
      await page.waitForSelector('[data-queue=default]')
      await page.screenshot({ path: `${shots}/system.png`, fullPage: true })
      await page.goto('/admin/tasks')
      await page.waitForSelector(`${row}`)
      await page.screenshot({ path: `${shots}/admin-tasks.png`, fullPage: true })
    } finally {
      await harness.close()
    }
  }).timeout(60_000)
})
