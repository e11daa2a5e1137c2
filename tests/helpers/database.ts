import testUtils from '@adonisjs/core/services/test_utils'
import limiter from '@adonisjs/limiter/services/main'
import redis from '@adonisjs/redis/services/main'
import type { Group } from '@japa/runner/core'
import { redisEnabled } from '#config/redis'
import { LIMITER_KEY_PREFIX } from '#config/limiter'

/*
| Every test starts from the migrated, empty database and clean rate-limit counters: its writes
| run in a global transaction that is rolled back afterwards.
*/
export function isolate(group: Group) {
  group.each.setup(async () => {
    await clearRateLimits()
    return testUtils.db().wrapInGlobalTransaction()
  })
}

/* Only the limiter's own keys: never FLUSHDB a Redis database that may hold other data. */
export async function clearRateLimits() {
  await limiter.clear(['memory'])
  if (!redisEnabled) return
  const client = redis.connection().ioConnection
  const prefix = client.options.keyPrefix ?? ''
  const keys = await client.keys(`${prefix}${LIMITER_KEY_PREFIX}*`)
  if (keys.length) await client.del(...keys.map((key) => key.slice(prefix.length)))
}
