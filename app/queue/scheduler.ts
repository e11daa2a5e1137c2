import db from '@adonisjs/lucid/services/db'
import { CronExpressionParser } from 'cron-parser'
import type { QueueService } from '#app/queue/queue'
import type { JobClass } from '#app/queue/job'
import { processId } from '#app/queue/settings'

/*
| Recurring work. A job class with a static `schedule` (cron) is dispatched at each tick by
| `node ace scheduler:work`. With several schedulers running (replicas), each tick is claimed
| by inserting (schedule, tick) into `schedule_runs`, whose primary key lets exactly one
| process win, on every database. Missed ticks (no scheduler running) are skipped, like cron.
*/
export type Schedule = { name: string; cron: string; job: JobClass }

export function schedulesOf(queue: QueueService): Schedule[] {
  return queue.registry
    .all()
    .filter(({ job }) => job.schedule)
    .map(({ name, job }) => ({ name, cron: job.schedule!, job }))
}

export function nextRun(cron: string, after = new Date()) {
  return CronExpressionParser.parse(cron, { currentDate: after, tz: 'UTC' }).next().toDate()
}

export class Scheduler {
  #next = new Map<string, number>()
  #timer: NodeJS.Timeout | null = null
  #stopped = false
  #firing: Promise<unknown> = Promise.resolve()

  constructor(
    protected queue: QueueService,
    protected onError: (error: unknown) => void = (error) => console.error('[scheduler]', error)
  ) {}

  start() {
    const now = new Date()
    for (const schedule of schedulesOf(this.queue)) {
      this.#next.set(schedule.name, nextRun(schedule.cron, now).getTime())
    }
    this.#arm()
  }

  async stop() {
    this.#stopped = true
    if (this.#timer) clearTimeout(this.#timer)
    await this.#firing
  }

  #arm() {
    if (this.#stopped || this.#next.size === 0) return
    const soonest = Math.min(...this.#next.values())
    /* Re-checked at least once a minute, so a clock jump cannot park the scheduler. */
    const wait = Math.min(Math.max(0, soonest - Date.now()), 60_000)
    this.#timer = setTimeout(() => {
      this.#firing = this.#fireDue()
        .catch(this.onError)
        .finally(() => this.#arm())
    }, wait)
  }

  async #fireDue() {
    const now = Date.now()
    for (const schedule of schedulesOf(this.queue)) {
      const due = this.#next.get(schedule.name)!
      if (due > now) continue
      this.#next.set(schedule.name, nextRun(schedule.cron, new Date(now)).getTime())
      if (await claim(schedule.name, due)) {
        await this.queue.dispatch(schedule.job, schedule.job.schedulePayload ?? {}, {
          dedupeId: `schedule:${schedule.name}:${due}`,
        })
      }
    }
  }
}

/** True for the one process that gets to run this tick. */
export async function claim(schedule: string, tick: number) {
  await db
    .connection()
    .knexQuery()
    .table('schedule_runs')
    .insert({ schedule, run_at: tick, claimed_by: processId, created_at: Date.now() })
    .onConflict(['schedule', 'run_at'])
    .ignore()
  const row = await db.from('schedule_runs').where({ schedule, run_at: tick }).first()
  return row?.claimed_by === processId
}

export async function lastRuns() {
  const rows = await db
    .from('schedule_runs')
    .select('schedule')
    .max('run_at as last')
    .groupBy('schedule')
  return new Map(rows.map((row) => [row.schedule as string, Number(row.last)]))
}

export async function pruneRuns(olderThanMs = 7 * 86_400_000) {
  await db
    .from('schedule_runs')
    .where('run_at', '<', Date.now() - olderThanMs)
    .delete()
}
