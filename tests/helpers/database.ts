import testUtils from '@adonisjs/core/services/test_utils'
import limiter from '@adonisjs/limiter/services/main'
import type { Group } from '@japa/runner/core'

/*
| Every test starts from the migrated, empty database and a clean rate limiter: its writes
| run in a global transaction that is rolled back afterwards.
*/
export function isolate(group: Group) {
  group.each.setup(async () => {
    await limiter.clear()
    return testUtils.db().wrapInGlobalTransaction()
  })
}
