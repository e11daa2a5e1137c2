import { join } from 'node:path'
import { test } from '@japa/runner'
import Record from '#tests/fixtures/jobs/record'
import { DatabaseWorker } from '#app/queue/drivers/database_worker'
import type { DatabaseDriver } from '#app/queue/drivers/database_driver'
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
