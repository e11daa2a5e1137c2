import { Job } from '#app/queue/job'
import { IdempotencyKeys } from '#app/http/idempotency_keys'

/* Forgets idempotency keys past their retention (IDEMPOTENCY_TTL_HOURS, 24 by default). */
export default class PruneIdempotencyKeys extends Job {
  static schedule = '17 * * * *'

  async handle() {
    return { removed: await new IdempotencyKeys().prune() }
  }
}
