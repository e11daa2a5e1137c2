import { assert } from '@japa/assert'
import { apiClient } from '@japa/api-client'
import { browserClient } from '@japa/browser-client'
import { chromium } from 'playwright-core'
import app from '@adonisjs/core/services/app'
import type { Config } from '@japa/runner/types'
import { pluginAdonisJS } from '@japa/plugin-adonisjs'
import testUtils from '@adonisjs/core/services/test_utils'
import { sessionApiClient } from '@adonisjs/session/plugins/api_client'
import { sessionBrowserClient } from '@adonisjs/session/plugins/browser_client'
import { authApiClient } from '@adonisjs/auth/plugins/api_client'
import { authBrowserClient } from '@adonisjs/auth/plugins/browser_client'
import { shieldApiClient } from '@adonisjs/shield/plugins/api_client'
import { inertiaApiClient } from '@adonisjs/inertia/plugins/api_client'
import { Realtime } from '#app/realtime/realtime'
import { createAppServer } from '#app/http/fast_routes'
import { redisEnabled } from '#config/redis'
import { deleteKeys } from '#tests/helpers/queue'
import { CHROMIUM_ARGS, chromiumPath } from '#tests/helpers/chromium'

/*
| Suites: unit (no HTTP server), functional (HTTP server + API client), browser (HTTP server +
| Debian's Chromium). The database is migrated once per run; each test runs inside a global
| transaction that is rolled back (see tests/helpers/database.ts).
*/
export const plugins: Config['plugins'] = [
  assert(),
  pluginAdonisJS(app),
  apiClient(),
  browserClient({
    runInSuites: ['browser'],
    launcher: (options) =>
      chromium.launch({ ...options, executablePath: chromiumPath(), args: CHROMIUM_ARGS }),
  }),
  sessionApiClient(app),
  sessionBrowserClient(app),
  authApiClient(app),
  authBrowserClient(app),
  shieldApiClient(),
  inertiaApiClient(app),
]

export const runnerHooks: Required<Pick<Config, 'setup' | 'teardown'>> = {
  setup: [() => testUtils.db().migrate()],
  teardown: [
    /* The run's own BullMQ keys (bin/test.ts gives each run a QUEUE_PREFIX). */
    async () => {
      if (!redisEnabled || !process.env.QUEUE_PREFIX?.startsWith('tandem-test-')) return
      const queue = await app.container.make('queue')
      await queue.close()
      await deleteKeys(process.env.QUEUE_PREFIX)
    },
  ],
}

export const configureSuite: Config['configureSuite'] = (suite) => {
  if (['browser', 'functional'].includes(suite.name)) {
    return suite.setup(async () => {
      const close = await testUtils.httpServer().start(createAppServer)
      const httpServer = await app.container.make('server')
      const server = httpServer.getNodeServer()!
      const realtime = await app.container.make(Realtime)
      await realtime.attach(server as any)
      return async () => {
        /* io.close() also closes the HTTP server it is attached to. */
        await realtime.close()
        await close().catch(() => {})
      }
    })
  }
}
