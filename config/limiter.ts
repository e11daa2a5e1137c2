import { defineConfig, stores } from '@adonisjs/limiter'
import type { InferLimiters } from '@adonisjs/limiter/types'
import { redisEnabled } from '#config/redis'

/* Every counter key starts with this, so they can be found (and cleared in tests). */
export const LIMITER_KEY_PREFIX = 'tandem-limits'

/* Counters live in Redis when it is configured (shared by every replica), in memory otherwise. */
const limiterConfig = defineConfig({
  default: redisEnabled ? 'redis' : 'memory',
  stores: {
    memory: stores.memory({}),
    redis: stores.redis({ connectionName: 'main', keyPrefix: LIMITER_KEY_PREFIX }),
  },
})

export default limiterConfig

declare module '@adonisjs/limiter/types' {
  export interface LimitersList extends InferLimiters<typeof limiterConfig> {}
}
