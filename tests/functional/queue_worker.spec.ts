import { join } from 'node:path'
import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import Record from '#tests/fixtures/jobs/record'
import { DatabaseWorker } from '#app/queue/drivers/database_worker'
import { DatabaseDriver } from '#app/queue/drivers/database_driver'
import { FailureLog } from '#app/helpers/failure_log'
import { isolate } from '#tests/helpers/database'
import { lines, makeQueue, scratchDir } from '#tests/helpers/queue'

/*
| The database driver's worker stopping at the worst moment: between claiming a job (its row
| already `active`, locked by this worker) and starting it. Seen twice in CI on MariaDB: SIGTERM
| arrived in that gap, the worker exited at once and the job waited for the stalled-job check
| instead of finishing; then, with that fixed, the log still said "finishing 0 running job(s)"
| (queue_processes.spec.ts, "SIGTERM lets the running job finish").
*/
test.group('Database queue worker: stopping', (group) => {
  isolate(group)

  test('stop() during a claim: the claimed job runs to its end before stop() returns', async ({
    assert,
  }) => {
    const harness = await makeQueue('database')
    try {
      const file = join(await scratchDir(), 'claimed.log')
      await harness.queue.dispatch(Record, { file, label: 'claimed', steps: 3, stepMs: 50 })
      const driver = harness.queue.driver as DatabaseDriver
      const worker = new DatabaseWorker(driver, (attempt) => harness.queue.run(attempt), {
        queues: ['default'],
        concurrency: 1,
      })
      /* Not awaited: the claim's statements are in flight when stop() is called. */
      const claiming = worker.tick()
      const reported: number[] = []
      await worker.stop(5000, (running) => reported.push(running))

      assert.deepEqual(reported, [1], 'the claimed job counts as running')
      assert.lengthOf(await lines(file), 1, 'the job finished before stop() returned')
      await claiming
      const counts = await driver.counts('default')
      assert.equal(counts.completed, 1)
      assert.equal(counts.active, 0)
    } finally {
      await harness.close()
    }
  })
})

test.group('Database queue worker: the database is down', () => {
  test('a worker started while the database cannot be reached keeps the process up', async ({
    assert,
  }) => {
    /* The web process starts its in-process worker at boot: the database may not be up yet. */
    db.manager.add('queue_down', {
      client: 'pg',
      connection: { host: '127.0.0.1', port: 1, user: 'postgres' },
    })
    class DownDriver extends DatabaseDriver {
      client(): QueryClientContract {
        return db.connection('queue_down')
      }
    }
    const unhandled: unknown[] = []
    const record = (reason: unknown) => unhandled.push(reason)
    process.on('unhandledRejection', record)
    const worker = new DatabaseWorker(
      new DownDriver(async () => ({ status: 'completed' }) as any),
      async () => ({ status: 'completed' }) as any,
      {
        queues: ['default'],
        concurrency: 1,
      }
    )
    try {
      worker.start()
      /* The stalled-job check and the first claim both fail on the refused connection. */
      await new Promise((resolve) => setTimeout(resolve, 300))
      assert.deepEqual(unhandled, [], 'an unhandled rejection ends the process')
    } finally {
      await worker.stop(100)
      process.off('unhandledRejection', record)
      await db.manager.close('queue_down', true)
    }
  })

  test('an outage is logged once, again once a minute, and its end once', async ({ assert }) => {
    /*
    | The worker polls twice a second: before, each failed poll printed its stack trace on
    | stderr (120 a minute, outside the JSON log) and nothing said when it worked again.
    */
    db.manager.add('queue_outage', {
      client: 'pg',
      connection: { host: '127.0.0.1', port: 1, user: 'postgres' },
    })
    let down = true
    class FlakyDriver extends DatabaseDriver {
      client(): QueryClientContract {
        return down ? db.connection('queue_outage') : db.connection()
      }
    }
    const logged: Array<{ level: string; message: string; bindings: any }> = []
    const logger = {
      error: (bindings: object, message: string) =>
        logged.push({ level: 'error', message, bindings }),
      info: (bindings: object, message: string) =>
        logged.push({ level: 'info', message, bindings }),
    }
    let clock = Date.parse('2026-12-06T10:00:00Z')
    const log = new FailureLog(logger, 'queue worker', 60_000, () => clock)
    const done = async () => ({ status: 'completed' }) as any
    const worker = new DatabaseWorker(new FlakyDriver(done), done, {
      queues: ['default'],
      concurrency: 1,
      log,
    })
    try {
      for (let poll = 0; poll < 5; poll++) {
        await worker.tick()
        clock += 500
      }
      assert.deepEqual(
        logged.map((line) => line.level),
        ['error'],
        'five failed polls, one line'
      )
      assert.match(logged[0].message, /^queue worker: polling for jobs failed: .*ECONNREFUSED/)
      assert.equal(logged[0].bindings.step, 'polling for jobs')
      assert.instanceOf(logged[0].bindings.err, Error, 'the error itself goes to the logger')

      clock += 60_000
      await worker.tick()
      assert.lengthOf(logged, 2)
      assert.match(
        logged[1].message,
        /^queue worker: polling for jobs still failing \(6 times in 63 s\)/
      )
      assert.equal(logged[1].bindings.failures, 6)

      down = false
      await worker.tick()
      await worker.tick()
      assert.deepEqual(
        logged.slice(2).map((line) => [line.level, line.message]),
        [['info', 'queue worker: polling for jobs works again (6 failure(s) in 63 s)']],
        'the first poll that works says so, the next one says nothing'
      )
    } finally {
      await worker.stop(100)
      await db.manager.close('queue_outage', true)
    }
  })
})
