import testUtils from '@adonisjs/core/services/test_utils'
import limiter from '@adonisjs/limiter/services/main'
import redis from '@adonisjs/redis/services/main'
import db from '@adonisjs/lucid/services/db'
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

/*
| A PostgreSQL trigger refusing the rows of `table` whose `column` equals `value`, for `run`'s
| duration. At 'insert' it raises "refused by the probe" as such a row is written; at 'commit' it
| is a deferred constraint trigger raising "refused at commit by the probe" at COMMIT, after every
| statement succeeded. Dropped afterwards; a failed drop never hides `run`'s own failure.
*/
export async function refusingRows<T>(
  probe: { table: string; column: string; value: string; at: 'insert' | 'commit' },
  run: () => Promise<T>
): Promise<T> {
  const name = `${probe.table}_probe_${probe.at}`
  const refusal = probe.at === 'commit' ? 'refused at commit by the probe' : 'refused by the probe'
  const value = probe.value.replaceAll("'", "''")
  const kept = probe.at === 'commit' ? 'null' : 'new'
  await db.rawQuery(
    `create or replace function ${name}() returns trigger language plpgsql as $$ begin if new.${probe.column} = '${value}' then raise exception '${refusal}'; end if; return ${kept}; end $$`
  )
  await db.rawQuery(
    probe.at === 'commit'
      ? `create constraint trigger ${name} after insert on ${probe.table} deferrable initially deferred for each row execute function ${name}()`
      : `create trigger ${name} before insert on ${probe.table} for each row execute function ${name}()`
  )
  const drop = async () => {
    await db.rawQuery(`drop trigger ${name} on ${probe.table}`)
    await db.rawQuery(`drop function ${name}()`)
  }
  let result: T
  try {
    result = await run()
  } catch (error) {
    await drop().catch(() => {})
    throw error
  }
  await drop()
  return result
}
