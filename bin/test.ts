/*
| Test runner entrypoint (`node ace test` runs this file).
*/
process.env.NODE_ENV = 'test'
/* Jobs dispatched by a test run (queued mail…) get keys of their own in Redis, removed at the end. */
process.env.QUEUE_PREFIX ||= `tandem-test-${process.pid}-${Date.now().toString(36)}`

import { prettyPrintError } from '@adonisjs/core'
import { configure, processCLIArgs, run } from '@japa/runner'
import { createIgnitor } from './ignitor.js'

createIgnitor()
  .testRunner()
  .configure(async (app) => {
    const { runnerHooks, ...config } = await import('../tests/bootstrap.js')

    processCLIArgs(process.argv.splice(2))
    configure({
      ...app.rcFile.tests,
      ...config,
      setup: runnerHooks.setup,
      teardown: runnerHooks.teardown.concat([() => app.terminate()]),
    })
  })
  .run(() => run())
  .catch((error) => {
    process.exitCode = 1
    prettyPrintError(error)
  })
