import type { HttpContext } from '@adonisjs/core/http'
import app from '@adonisjs/core/services/app'
import { inject } from '@adonisjs/core'
import { Readiness } from '#ops/services/readiness'
import { schedulesOf, lastRuns, nextRun } from '#app/queue/scheduler'

/*
| GET /admin/system — health checks, queues (counts, last hour's throughput per minute, failed
| jobs), schedules with their last and next run, and the workers online.
*/
@inject()
export default class SystemController {
  constructor(private readiness: Readiness) {}

  async show({ inertia }: HttpContext) {
    const queue = await app.container.make('queue')
    const [health, stats, workers, last] = await Promise.all([
      this.readiness.run(),
      queue.stats(60),
      queue.heartbeats.online(),
      lastRuns(),
    ])
    const failed = await Promise.all(stats.map((entry) => queue.driver.failed(entry.name, 20)))
    return inertia.render('ops/system/show', {
      health,
      driver: queue.driver.kind,
      queues: stats.map((entry, index) => ({ ...entry, failedJobs: failed[index] })),
      schedules: schedulesOf(queue).map((schedule) => ({
        name: schedule.name,
        cron: schedule.cron,
        lastRunAt: last.has(schedule.name)
          ? new Date(last.get(schedule.name)!).toISOString()
          : null,
        nextRunAt: nextRun(schedule.cron).toISOString(),
      })),
      workers: workers.map((worker) => ({
        ...worker,
        startedAt: new Date(worker.startedAt).toISOString(),
        lastSeenAt: new Date(worker.lastSeenAt).toISOString(),
      })),
    })
  }
}
