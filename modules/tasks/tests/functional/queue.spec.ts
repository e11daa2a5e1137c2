import { join } from 'node:path'
import { readFile } from 'node:fs/promises'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import User from '#accounts/models/user'
import Task from '#tasks/models/task'
import TaskLog from '#tasks/models/task_log'
import { TasksService } from '#tasks/services/tasks_service'
import { QueueService } from '#app/queue/queue'
import Record from '#tests/fixtures/jobs/record'
import TooSlow from '#tests/fixtures/jobs/too_slow'
import { isolate } from '#tests/helpers/database'
import { DRIVERS, lines, makeQueue, scratchDir, waitFor } from '#tests/helpers/queue'
import { socketsFor, connected } from '#tests/helpers/realtime'
import { createCompanyWithOwner } from '#accounts/database/factories/user_factory'

/*
| The same behaviour on both drivers: BullMQ (Redis) and the database (local, desktop).
| Outcomes are read where they land: lines the job appended to a file, task rows, events.
*/
for (const { kind, skip } of DRIVERS) {
  test.group(`Queue on ${kind}`, (group) => {
    isolate(group)
    const open = socketsFor(group)
    let harness: Awaited<ReturnType<typeof makeQueue>> | null = null
    const setup = async () => (harness = await makeQueue(kind))
    group.each.teardown(async () => {
      await harness?.close()
      harness = null
    })

    test('runs a dispatched job once, with its payload', async ({ assert }) => {
      const { queue, work } = await setup()
      const file = join(await scratchDir(), 'runs.log')
      await work()
      const dispatched = await queue.dispatch(Record, { file, label: 'hello' })
      assert.isFalse(dispatched.deduped)
      await waitFor(async () => (await lines(file)).length === 1, 'the job')
      await new Promise((resolve) => setTimeout(resolve, 200))
      assert.deepEqual(
        (await lines(file)).map((line) => line.split(' ').slice(0, 2).join(' ')),
        ['hello attempt=1']
      )
    }).skip(Boolean(skip), skip ?? '')

    test('holds a delayed job until its time', async ({ assert }) => {
      const { queue, work } = await setup()
      const file = join(await scratchDir(), 'delayed.log')
      await work()
      const started = Date.now()
      await queue.dispatch(Record, { file, label: 'later' }, { delay: 700 })
      await new Promise((resolve) => setTimeout(resolve, 400))
      assert.lengthOf(await lines(file), 0)
      await waitFor(async () => (await lines(file)).length === 1, 'the delayed job')
      const ranAt = Number((await lines(file))[0].split('at=')[1])
      assert.isAtLeast(ranAt - started, 700)
    }).skip(Boolean(skip), skip ?? '')

    test('ignores a dispatch whose dedupe id is already queued, not once it finished', async ({
      assert,
    }) => {
      const { queue, work } = await setup()
      const file = join(await scratchDir(), 'dedupe.log')
      const first = await queue.dispatch(Record, { file, label: 'one' }, { dedupeId: 'nightly' })
      const second = await queue.dispatch(Record, { file, label: 'two' }, { dedupeId: 'nightly' })
      assert.isTrue(second.deduped)
      assert.equal(second.id, first.id)
      await work()
      await waitFor(async () => (await lines(file)).length === 1, 'the first job')
      await new Promise((resolve) => setTimeout(resolve, 300))
      assert.deepEqual(
        (await lines(file)).map((line) => line.split(' ')[0]),
        ['one']
      )

      const third = await queue.dispatch(Record, { file, label: 'three' }, { dedupeId: 'nightly' })
      assert.isFalse(third.deduped)
      await waitFor(async () => (await lines(file)).length === 2, 'the next run')
    }).skip(Boolean(skip), skip ?? '')

    test('retries a failing job with backoff until it succeeds', async ({ assert }) => {
      const { queue, work } = await setup()
      const file = join(await scratchDir(), 'retries.log')
      await work()
      const started = Date.now()
      await queue.dispatch(
        Record,
        { file, label: 'flaky', failTimes: 2 },
        { attempts: 3, backoff: { type: 'fixed', delay: 300 } }
      )
      await waitFor(async () => (await lines(file)).length === 1, 'the third attempt')
      const [line] = await lines(file)
      assert.match(line, /^flaky attempt=3 /)
      assert.isAtLeast(Number(line.split('at=')[1]) - started, 600)
    }).skip(Boolean(skip), skip ?? '')

    test('fails a job after its last attempt and keeps the error', async ({ assert }) => {
      const { queue, work } = await setup()
      const file = join(await scratchDir(), 'failed.log')
      await work()
      const { id } = await queue.dispatch(
        Record,
        { file, label: 'doomed', failTimes: 9 },
        { attempts: 2, backoff: { type: 'fixed', delay: 50 } }
      )
      const failed = await waitFor(async () => {
        const jobs = await queue.driver.failed('default', 10)
        return jobs.find((job) => job.id === id)
      }, 'the failed job')
      assert.equal(failed.name, 'fixtures/record')
      assert.match(failed.error, /planned failure 2/)
      assert.equal(failed.attemptsMade, 2)
      assert.lengthOf(await lines(file), 0)
      assert.equal((await queue.driver.counts('default')).failed, 1)

      assert.isTrue(await queue.driver.retry('default', id))
      await waitFor(async () => (await queue.driver.counts('default')).failed === 1, 'failed again')
      assert.isTrue(await queue.driver.remove('default', id))
      assert.equal((await queue.driver.counts('default')).failed, 0)
    }).skip(Boolean(skip), skip ?? '')

    test('stops a job at its timeout with E_JOB_TIMEOUT', async ({ assert }) => {
      const { queue, work } = await setup()
      await work()
      const { id } = await queue.dispatch(TooSlow, {})
      const failed = await waitFor(async () => {
        const jobs = await queue.driver.failed('default', 10)
        return jobs.find((job) => job.id === id)
      }, 'the timeout')
      assert.match(failed.error, /E_JOB_TIMEOUT/)
    }).skip(Boolean(skip), skip ?? '')

    test('runs higher priority jobs first', async ({ assert }) => {
      const { queue, work } = await setup()
      const file = join(await scratchDir(), 'priority.log')
      await queue.dispatch(Record, { file, label: 'low' }, { priority: 10 })
      await queue.dispatch(Record, { file, label: 'high' }, { priority: 1 })
      await queue.dispatch(Record, { file, label: 'mid' }, { priority: 5 })
      await work(1)
      await waitFor(async () => (await lines(file)).length === 3, 'three jobs')
      assert.deepEqual(
        (await lines(file)).map((line) => line.split(' ')[0]),
        ['high', 'mid', 'low']
      )
    }).skip(Boolean(skip), skip ?? '')

    test('a task records progress, log lines and its result file', async ({ assert, client }) => {
      const { queue, work } = await setup()
      const { owner, company } = await createCompanyWithOwner()
      const dir = await scratchDir()
      await work()
      const { taskId } = await queue.dispatch(
        Record,
        {
          file: join(dir, 'task.log'),
          label: 'report',
          steps: 4,
          resultFile: join(dir, 'out.txt'),
        },
        { task: { companyId: company.id, userId: owner.id, title: 'Export report' } }
      )
      assert.isNumber(taskId)
      const task = await waitFor(async () => {
        const row = await Task.find(taskId!)
        return row?.status === 'completed' ? row : null
      }, 'the task to complete')
      assert.equal(task.progress, 100)
      assert.equal(task.resultFileName, 'report.txt')
      assert.equal(task.resultFileSize, 'report for report\n'.length)
      assert.equal(await readFile(task.resultFile!, 'utf8'), 'report for report\n')
      const logs = await TaskLog.query().where('taskId', taskId!).orderBy('id')
      assert.deepEqual(
        logs.map((line) => line.message),
        ['step 1 done', 'step 2 done', 'step 3 done', 'step 4 done']
      )

      const download = await client
        .get(`/companies/${company.id}/tasks/${taskId}/result`)
        .loginAs(owner)
      download.assertStatus(200)
      assert.equal(download.text(), 'report for report\n')
      assert.match(download.header('content-disposition') ?? '', /report\.txt/)
    }).skip(Boolean(skip), skip ?? '')

    test('cancelling a queued task removes its job before it runs', async ({ assert }) => {
      const { queue, work } = await setup()
      const { owner, company } = await createCompanyWithOwner()
      const file = join(await scratchDir(), 'cancel-queued.log')
      const { taskId } = await queue.dispatch(
        Record,
        { file, label: 'never' },
        { task: { companyId: company.id, userId: owner.id, title: 'Never runs' }, delay: 300 }
      )
      app.container.swap(QueueService, () => queue)
      try {
        await (await app.container.make(TasksService)).cancel((await Task.find(taskId!))!)
      } finally {
        app.container.restore(QueueService)
      }
      const task = await Task.findOrFail(taskId!)
      assert.equal(task.status, 'cancelled')
      await work()
      await new Promise((resolve) => setTimeout(resolve, 700))
      assert.lengthOf(await lines(file), 0)
      const counts = await queue.driver.counts('default')
      assert.equal(counts.waiting + counts.delayed + counts.active, 0)
    }).skip(Boolean(skip), skip ?? '')

    test('cancelling a running task stops it within a second', async ({ assert }) => {
      const { queue, work } = await setup()
      const { owner, company } = await createCompanyWithOwner()
      const file = join(await scratchDir(), 'cancel-running.log')
      await work()
      const { taskId } = await queue.dispatch(
        Record,
        { file, label: 'long', steps: 100, stepMs: 50 },
        { task: { companyId: company.id, userId: owner.id, title: 'Long export' } }
      )
      await waitFor(async () => ((await Task.find(taskId!))?.progress ?? 0) > 0, 'progress')
      await (await app.container.make(TasksService)).cancel((await Task.find(taskId!))!)
      const task = await waitFor(
        async () => {
          const row = await Task.find(taskId!)
          return row?.status === 'cancelled' ? row : null
        },
        'the cancellation',
        3000
      )
      assert.isBelow(task.progress, 100)
      assert.isNotNull(task.finishedAt)
      await new Promise((resolve) => setTimeout(resolve, 300))
      assert.lengthOf(await lines(file), 0)
      assert.equal((await queue.driver.counts('default')).failed, 0)
    }).skip(Boolean(skip), skip ?? '')

    test('pushes task progress to the company room as it happens', async ({ assert }) => {
      const { queue, work } = await setup()
      const { owner, company } = await createCompanyWithOwner()
      const token = await User.accessTokens.create(owner, ['*'], { companyId: company.id })
      const socket = open({ token: token.value!.release() })
      await connected(socket)
      const updates: Array<{ id: number; status: string; progress: number }> = []
      socket.on('task.updated', (task) => updates.push(task))
      await work()
      const { taskId } = await queue.dispatch(
        Record,
        { file: join(await scratchDir(), 'live.log'), label: 'live', steps: 3, stepMs: 300 },
        { task: { companyId: company.id, userId: owner.id, title: 'Live' } }
      )
      await waitFor(async () => updates.some((task) => task.status === 'completed'), 'completion')
      const mine = updates.filter((task) => task.id === taskId)
      assert.equal(mine[0].status, 'queued')
      assert.includeMembers(
        mine.map((task) => task.progress),
        [33, 67, 100]
      )
      assert.equal(mine.at(-1)!.status, 'completed')
    }).skip(Boolean(skip), skip ?? '')
  })
}
