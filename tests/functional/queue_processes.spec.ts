import { join } from 'node:path'
import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import RecordJob from '#tests/fixtures/jobs/record'
import { baseEnv, sharedServicesEnv, spawnAce } from '#tests/helpers/app_process'
import { DRIVERS, lines, makeQueue, scratchDir, waitFor } from '#tests/helpers/queue'

/*
| Workers and schedulers as separate processes on the shared database and Redis, stopped and
| killed like in production. Not in a rolled-back transaction: the processes must see the rows.
*/
const processEnv = (kind: string, prefix: string, extra: Record<string, string> = {}) =>
  baseEnv({
    ...sharedServicesEnv(),
    QUEUE_DRIVER: kind,
    QUEUE_PREFIX: prefix,
    TANDEM_EXTRA_JOBS: 'tests/fixtures/jobs',
    QUEUE_POLL_MS: '50',
    QUEUE_LOCK_MS: '2000',
    QUEUE_STALLED_INTERVAL_MS: '1000',
    QUEUE_SHUTDOWN_GRACE_MS: '5000',
    LOG_LEVEL: 'info',
    PORT: '0',
    APP_URL: 'http://127.0.0.1',
    ...extra,
  })

const isActive = async (harness: Awaited<ReturnType<typeof makeQueue>>) =>
  (await harness.queue.driver.counts('default')).active === 1

for (const { kind, skip } of DRIVERS) {
  test.group(`Worker processes on ${kind}`, (group) => {
    let harness: Awaited<ReturnType<typeof makeQueue>> | null = null
    group.each.teardown(async () => {
      await harness?.close()
      harness = null
      await db.from('queue_jobs').delete()
      await db.from('queue_workers').delete()
    })

    test('a worker killed mid-job: another picks the job up after the stall interval, and it completes once', async ({
      assert,
    }) => {
      harness = await makeQueue(kind)
      const file = join(await scratchDir(), 'stalled.log')
      await harness.queue.dispatch(RecordJob, { file, label: 'survivor', steps: 15, stepMs: 100 })
      const env = processEnv(kind, harness.prefix)

      const doomed = spawnAce(['queue:work', '--concurrency=1'], env)
      await waitFor(() => isActive(harness!), 'the first worker to take the job', 30_000)
      doomed.signal('SIGKILL')
      const killedAt = Date.now()
      assert.equal((await doomed.exited).signal, 'SIGKILL')
      assert.lengthOf(await lines(file), 0)

      const rescuer = spawnAce(['queue:work', '--concurrency=1'], env)
      try {
        await waitFor(async () => (await lines(file)).length > 0, 'the job to complete', 30_000)
        const finishedAt = Number((await lines(file))[0].split('at=')[1])
        /* The lock (2 s) had to expire before the job could run again (1.5 s of work). */
        assert.isAtLeast(finishedAt - killedAt, 2000)
        await new Promise((resolve) => setTimeout(resolve, 1500))
        const written = await lines(file)
        assert.lengthOf(written, 1)
        assert.match(written[0], /^survivor attempt=1 /)
        assert.equal((await harness.queue.driver.counts('default')).completed, 1)
      } finally {
        rescuer.signal('SIGTERM')
        await rescuer.exited
      }
    })
      .skip(Boolean(skip), skip ?? '')
      .timeout(90_000)

    test('SIGTERM lets the running job finish, then the worker exits cleanly', async ({
      assert,
    }) => {
      harness = await makeQueue(kind)
      const file = join(await scratchDir(), 'graceful.log')
      await harness.queue.dispatch(RecordJob, { file, label: 'finished', steps: 10, stepMs: 100 })
      const worker = spawnAce(['queue:work', '--concurrency=1'], processEnv(kind, harness.prefix))
      await waitFor(() => isActive(harness!), 'the worker to take the job', 30_000)
      worker.signal('SIGTERM')
      const stuck = setTimeout(() => {
        worker.signal('SIGKILL')
        console.error('worker did not exit:\n' + worker.output())
      }, 15_000)
      const { code } = await worker.exited
      clearTimeout(stuck)
      assert.equal(code, 0, worker.output())
      assert.lengthOf(await lines(file), 1)
      assert.include(worker.output(), 'finishing 1 running job(s)')
      const workers = await db.from('queue_workers').count('* as total')
      assert.equal(Number(workers[0].total), 0)
    })
      .skip(Boolean(skip), skip ?? '')
      .timeout(60_000)
  })
}

test.group('Scheduler processes', (group) => {
  group.each.teardown(async () => {
    await db.from('schedule_runs').delete()
    await db.from('queue_jobs').delete()
    await db.from('queue_workers').delete()
  })

  test('with two schedulers running, each tick of a schedule runs once', async ({ assert }) => {
    const harness = await makeQueue(DRIVERS[1].skip ? 'database' : 'bullmq')
    const file = join(await scratchDir(), 'ticks.log')
    const kind = harness.queue.driver.kind
    const env = processEnv(kind, harness.prefix, { TANDEM_TICK_FILE: file })
    const processes = [
      spawnAce(['scheduler:work'], env),
      spawnAce(['scheduler:work'], env),
      spawnAce(['queue:work'], env),
    ]
    try {
      await Promise.all([
        processes[0].ready('running'),
        processes[1].ready('running'),
        processes[2].ready('serving'),
      ])
      await new Promise((resolve) => setTimeout(resolve, 4500))
    } finally {
      processes.slice(0, 2).forEach((p) => p.signal('SIGTERM'))
      await Promise.all(processes.slice(0, 2).map((p) => p.exited))
      /* The last tick claimed may still be queued: let the worker run it (on a busy CI box that
         took over a second), then stop it. Waiting longer cannot make a tick run twice. */
      const deadline = Date.now() + 15_000
      while (Date.now() < deadline) {
        const claimed = await db
          .from('schedule_runs')
          .where('schedule', 'fixtures/tick')
          .count('* as n')
        if ((await lines(file)).length >= Number(claimed[0].n)) break
        await new Promise((resolve) => setTimeout(resolve, 200))
      }
      await new Promise((resolve) => setTimeout(resolve, 500))
      processes[2].signal('SIGTERM')
      await processes[2].exited
      await harness.close()
    }
    const runs = await db.from('schedule_runs').where('schedule', 'fixtures/tick').select('run_at')
    const ticks = await lines(file)
    assert.isAtLeast(runs.length, 3)
    assert.equal(ticks.length, runs.length, `ticks ${ticks.join(' | ')}`)
    assert.equal(new Set(runs.map((run) => Number(run.run_at))).size, runs.length)
  }).timeout(90_000)
})
