import type { ApplicationService } from '@adonisjs/core/types'
import { Realtime } from '#app/realtime/realtime'
import { rejectFailedCommits } from '#app/helpers/transaction_commits'
import { markDatabaseErrors } from '#app/exceptions/database_errors'

/* Shared kernel bindings available to every module and process. */
export default class AppProvider {
  constructor(protected app: ApplicationService) {}

  register() {
    /* A transaction whose COMMIT fails throws instead of returning (app/helpers/transaction_commits.ts). */
    rejectFailedCommits()
    /* Network errors of database calls answer 503 (app/exceptions/database_errors.ts). */
    markDatabaseErrors()
    this.app.container.singleton(Realtime, () => new Realtime(this.app))
  }

  /* Workers and Ace commands push to browsers through Redis (the web process serves sockets). */
  async ready() {
    if (['web', 'test'].includes(this.app.getEnvironment())) return
    const realtime = await this.app.container.make(Realtime)
    await realtime.useRedisEmitter()
  }

  async shutdown() {
    const realtime = await this.app.container.make(Realtime)
    await realtime.close()
  }
}
