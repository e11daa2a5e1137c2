import { BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { Scheduler, nextRun, schedulesOf } from '#app/queue/scheduler'

/*
| Dispatches scheduled jobs on time. Safe to run in every replica: each tick is claimed in the
| database by exactly one scheduler.
*/
export default class SchedulerWork extends BaseCommand {
  static commandName = 'scheduler:work'
  static description = 'Dispatch scheduled jobs (one run per tick across all replicas)'
  static options: CommandOptions = { startApp: true, staysAlive: true }

  async run() {
    const queue = await this.app.container.make('queue')
    const schedules = schedulesOf(queue)
    for (const schedule of schedules) {
      const next = nextRun(schedule.cron).toISOString()
      this.logger.info(`${schedule.name}  ${schedule.cron}  next ${next}`)
    }
    const scheduler = new Scheduler(queue, (error) => this.logger.error(String(error)))
    scheduler.start()
    const beat = await queue.heartbeats
      .start({ kind: 'scheduler' })
      .catch(() => ({ stop: async () => {} }))
    this.logger.info(`scheduler ${process.pid} running ${schedules.length} schedule(s)`)

    let stopping = false
    const stop = async () => {
      if (stopping) return
      stopping = true
      await scheduler.stop()
      await beat.stop()
      /*
      | Leave even if closing fails (a pool still acquiring a connection rejects with "aborted")
      | or a library still holds the event loop: the jobs are done or handed back by now.
      */
      await this.terminate().catch((error) => this.logger.warning(`while closing: ${error}`))
      process.exit(this.exitCode ?? 0)
    }
    process.once('SIGTERM', stop)
    process.once('SIGINT', stop)
  }
}
