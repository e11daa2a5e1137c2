import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { queueSettings } from '#app/queue/settings'

/*
| A queue worker process. SIGTERM/SIGINT stop it gracefully: no new jobs are taken, running
| ones get QUEUE_SHUTDOWN_GRACE_MS to finish, and whatever is still running after that is
| handed back to the queue for another worker.
*/
export default class QueueWork extends BaseCommand {
  static commandName = 'queue:work'
  static description = 'Run queued jobs (BullMQ with Redis, the database otherwise)'
  static options: CommandOptions = { startApp: true, staysAlive: true }

  @flags.array({ description: 'Queues to serve (default: all)', alias: 'q' })
  declare queues?: string[]

  @flags.number({ description: 'Jobs run at the same time', alias: 'c', default: 4 })
  declare concurrency: number

  async run() {
    const queue = await this.app.container.make('queue')
    const known = queue.registry.queues()
    const queues = (this.queues ?? []).flatMap((entry) => entry.split(',')).filter(Boolean)
    const unknown = queues.filter((name) => !known.includes(name))
    if (unknown.length) {
      this.logger.error(`Unknown queue(s): ${unknown.join(', ')}. Known: ${known.join(', ')}`)
      this.exitCode = 1
      return this.terminate()
    }
    const serving = queues.length ? queues : known
    const concurrency = Math.max(1, this.concurrency || 1)
    /* Signals are handled from the start: a job can be taken before start-up has finished. */
    const starting = queue.work({ queues: serving, concurrency })
    let stopping = false
    const stop = async (signal: string) => {
      if (stopping) return
      stopping = true
      const worker = await starting.catch(() => null)
      await worker?.stop(queueSettings.shutdownGraceMs, (running) =>
        this.logger.info(`${signal}: finishing ${running} running job(s)…`)
      )
      this.logger.info('worker stopped')
      /*
      | Leave even if closing fails (a pool still acquiring a connection rejects with "aborted")
      | or a library still holds the event loop: the jobs are done or handed back by now.
      */
      await this.terminate().catch((error) => this.logger.warning(`while closing: ${error}`))
      process.exit(this.exitCode ?? 0)
    }
    process.once('SIGTERM', () => stop('SIGTERM'))
    process.once('SIGINT', () => stop('SIGINT'))

    await starting
    this.logger.info(
      `worker ${process.pid} serving ${serving.join(', ')} (${queue.driver.kind}, concurrency ${concurrency})`
    )
  }
}
