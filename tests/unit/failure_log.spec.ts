import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { FailureLog, knexLog } from '#app/helpers/failure_log'

function capture() {
  const lines: string[] = []
  const logger = {
    error: (_bindings: object, message: string) => lines.push(`error ${message}`),
    info: (_bindings: object, message: string) => lines.push(`info ${message}`),
  }
  return { lines, logger }
}

test.group('Failure log', () => {
  test('each step and each new error is logged at once; repeats are counted', ({ assert }) => {
    const { lines, logger } = capture()
    let clock = 0
    const log = new FailureLog(logger, 'queue worker', 60_000, () => clock)
    log.failed('polling for jobs', new Error('connect ECONNREFUSED 127.0.0.1:5432'))
    log.failed(
      'renewing the locks of running jobs',
      new Error('connect ECONNREFUSED 127.0.0.1:5432')
    )
    clock += 1000
    log.failed('polling for jobs', new Error('connect ECONNREFUSED 127.0.0.1:5432'))
    log.failed('polling for jobs', new Error('the database system is starting up'))
    /* Two errors taking turns: each counted apart, neither logged again within the minute. */
    for (let turn = 0; turn < 4; turn++) {
      clock += 500
      log.failed('polling for jobs', new Error('connect ECONNREFUSED 127.0.0.1:5432'))
      log.failed('polling for jobs', new Error('the database system is starting up'))
    }
    assert.deepEqual(lines, [
      'error queue worker: polling for jobs failed: connect ECONNREFUSED 127.0.0.1:5432',
      'error queue worker: renewing the locks of running jobs failed: connect ECONNREFUSED 127.0.0.1:5432',
      'error queue worker: polling for jobs failed: the database system is starting up',
    ])
    clock += 60_000
    log.failed('polling for jobs', new Error('connect ECONNREFUSED 127.0.0.1:5432'))
    log.succeeded('polling for jobs')
    log.succeeded('polling for jobs')
    assert.deepEqual(lines.slice(3), [
      'error queue worker: polling for jobs still failing (7 times in 63 s): connect ECONNREFUSED 127.0.0.1:5432',
      'info queue worker: polling for jobs works again (12 failure(s) in 63 s)',
    ])
  })

  test('a step without a success signal starts a new outage after two quiet periods', ({
    assert,
  }) => {
    const { lines, logger } = capture()
    let clock = 0
    const log = new FailureLog(logger, 'queue worker', 60_000, () => clock)
    const error = new Error('Connection is closed.')
    log.failed('working queue "default"', error)
    clock += 119_000
    log.failed('working queue "default"', error)
    clock += 121_000
    log.failed('working queue "default"', error)
    assert.deepEqual(lines, [
      'error queue worker: working queue "default" failed: Connection is closed.',
      'error queue worker: working queue "default" still failing (2 times in 119 s): Connection is closed.',
      'error queue worker: working queue "default" failed: Connection is closed.',
    ])
    log.succeeded('polling for jobs')
    assert.lengthOf(lines, 3, 'a step that never failed says nothing when it works')
  })

  test('a job whose outcome could not be saved is always logged, with its id', ({ assert }) => {
    const { lines, logger } = capture()
    const log = new FailureLog(logger, 'queue worker')
    log.itemFailed('job job-1', 'saving the outcome', new Error('deadlock detected'))
    log.itemFailed('job job-2', 'saving the outcome', new Error('deadlock detected'))
    assert.deepEqual(lines, [
      'error queue worker: saving the outcome failed for job job-1: deadlock detected',
      'error queue worker: saving the outcome failed for job job-2: deadlock detected',
    ])
  })

  test("knex's warning at each failed connection attempt: once, through Lucid's `log`", async ({
    assert,
  }) => {
    const { lines, logger } = capture()
    const warned: string[] = []
    const appLogger = { ...logger, warn: (message: string) => warned.push(message), debug() {} }
    db.manager.add('failure_log_down', {
      client: 'pg',
      connection: { host: '127.0.0.1', port: 1, user: 'postgres' },
      log: knexLog('failure_log_down', () => appLogger),
    } as any)
    try {
      await db
        .connection('failure_log_down')
        .rawQuery('select 1')
        .catch(() => {})
    } finally {
      await db.manager.close('failure_log_down', true)
    }
    assert.deepEqual(lines, [
      'error database "failure_log_down": connecting failed: connect ECONNREFUSED 127.0.0.1:1',
    ])
    /* knex's warnings as it writes them: again, and as the breaker's refusal. */
    const log = knexLog('failure_log_down', () => appLogger)
    for (const name of ['Error', 'Error', 'DatabaseCircuitOpen'])
      log.warn(
        `Acquire connection error: ${name}: connect ECONNREFUSED 127.0.0.1:1\n    at TCPConnectWrap.afterConnect`
      )
    assert.lengthOf(lines, 2, 'a new knexLog logs the first one; the repeats are counted')
    knexLog('x', () => appLogger).warn('something else knex says')
    assert.deepEqual(warned, ['something else knex says'], 'other warnings pass through')
  })
})
