import { test } from '@japa/runner'
import {
  IngestQueue,
  MAX_BATCHES,
  MAX_PENDING_EVENTS,
  type IngestJob,
  type IngestRunner,
} from '#telemetry/services/ingest_queue'
import type { CleanEvent } from '#telemetry/services/batch'

/*
| The group-commit queue's rules, with a runner that records what it is asked to store (the
| transactions themselves are tested against the databases in group_commit.spec.ts).
*/
function job(installation: number, events = 1): IngestJob {
  return {
    ref: { id: installation, companyId: 1 },
    sender: { companyId: 1, userId: null },
    envelope: {
      installationId: `i-${installation}`,
      appVersion: '1.0.0',
      platform: 'linux',
      osVersion: null,
      locale: null,
    },
    events: Array.from(
      { length: events },
      (_, index) => ({ id: `${installation}-${index}-${Math.random()}` }) as CleanEvent
    ),
    now: Date.now(),
  }
}

function deferred() {
  let release = () => {}
  const promise = new Promise<void>((resolve) => (release = resolve))
  return { promise, release }
}

function recordingRunner(options: { failGroups?: boolean; hold?: Promise<void> } = {}) {
  const calls: Array<{ kind: 'group' | 'alone'; installations: number[] }> = []
  let running = 0
  let maxRunning = 0
  const enter = async () => {
    running++
    maxRunning = Math.max(maxRunning, running)
    await options.hold
    await new Promise((resolve) => setImmediate(resolve))
    running--
  }
  const runner: IngestRunner = {
    async group(jobs) {
      calls.push({ kind: 'group', installations: jobs.map((j) => j.ref.id) })
      await enter()
      if (options.failGroups) throw new Error('deadlock')
      return jobs.map((j) => j.events)
    },
    async alone(one) {
      calls.push({ kind: 'alone', installations: [one.ref.id] })
      await enter()
      if (one.ref.id === 13) throw new Error('unlucky')
      return { ref: one.ref, stored: one.events }
    },
  }
  return { runner, calls, maxRunning: () => maxRunning }
}

test.group('Telemetry ingest queue', () => {
  test('batches pushed together share one group, each answered with its own events', async ({
    assert,
  }) => {
    const { runner, calls } = recordingRunner()
    const queue = new IngestQueue(runner, () => 1)
    const jobs = [job(1, 3), job(2, 2), job(3, 1)]
    const answers = await Promise.all(jobs.map((one) => queue.push(one)))
    assert.deepEqual(calls, [{ kind: 'group', installations: [1, 2, 3] }])
    assert.deepEqual(
      answers.map((answer) => answer.stored.length),
      [3, 2, 1]
    )
    assert.deepEqual(queue.stats, { groups: 1, batches: 3, failedGroups: 0, refused: 0 })
  })

  test('a failed group runs again batch by batch, one at a time, and only the bad one fails', async ({
    assert,
  }) => {
    const { runner, calls, maxRunning } = recordingRunner({ failGroups: true })
    const failures: unknown[] = []
    const queue = new IngestQueue({ ...runner, failed: (error) => failures.push(error) }, () => 1)
    const outcomes = await Promise.allSettled([12, 13, 14].map((id) => queue.push(job(id))))
    assert.deepEqual(
      outcomes.map((outcome) => outcome.status),
      ['fulfilled', 'rejected', 'fulfilled']
    )
    assert.equal(((outcomes[1] as PromiseRejectedResult).reason as Error).message, 'unlucky')
    assert.deepEqual(calls, [
      { kind: 'group', installations: [12, 13, 14] },
      { kind: 'alone', installations: [12] },
      { kind: 'alone', installations: [13] },
      { kind: 'alone', installations: [14] },
    ])
    assert.equal(maxRunning(), 1, 'the re-runs stay within the one slot')
    assert.lengthOf(failures, 1)
    assert.equal(queue.stats.failedGroups, 1)
  })

  test('an installation in a running group waits; the others go ahead in another slot', async ({
    assert,
  }) => {
    const gate = deferred()
    const { runner, calls } = recordingRunner({ hold: gate.promise })
    const queue = new IngestQueue(runner, () => 2)
    const first = queue.push(job(1))
    await new Promise((resolve) => setImmediate(resolve))
    const later = [queue.push(job(1)), queue.push(job(2)), queue.push(job(1))]
    await new Promise((resolve) => setImmediate(resolve))
    assert.deepEqual(calls, [
      { kind: 'alone', installations: [1] },
      { kind: 'alone', installations: [2] },
    ])
    gate.release()
    await Promise.all([first, ...later])
    assert.deepEqual(calls.slice(2), [{ kind: 'group', installations: [1, 1] }])
  })

  test('a group holds at most MAX_BATCHES batches', async ({ assert }) => {
    const { runner, calls } = recordingRunner()
    const queue = new IngestQueue(runner, () => 1)
    await Promise.all(Array.from({ length: MAX_BATCHES + 20 }, (_, i) => queue.push(job(i))))
    assert.deepEqual(
      calls.map((call) => call.installations.length),
      [MAX_BATCHES, 20]
    )
  })

  test('when too much is waiting, new batches are refused with 503 E_INGEST_BUSY', async ({
    assert,
  }) => {
    const gate = deferred()
    const { runner } = recordingRunner({ hold: gate.promise })
    const queue = new IngestQueue(runner, () => 1)
    const running = queue.push(job(1))
    await new Promise((resolve) => setImmediate(resolve))
    const waiting = Array.from({ length: MAX_PENDING_EVENTS / 1000 }, (_, i) =>
      queue.push(job(100 + i, 1000))
    )
    const refused = await queue.push(job(999, 1)).catch((error) => error)
    assert.equal(refused.code, 'E_INGEST_BUSY')
    assert.equal(refused.status, 503)
    assert.equal(queue.stats.refused, 1)
    gate.release()
    await Promise.all([running, ...waiting])
    const accepted = await queue.push(job(999, 1))
    assert.lengthOf(accepted.stored, 1, 'accepted again once the queue has drained')
  })
})
