import { EventEmitter } from 'node:events'
import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import type {
  FailedJob,
  JobState,
  NewJob,
  QueueDriver,
  WorkOptions,
} from '#app/queue/drivers/driver'
import { DatabaseWorker } from '#app/queue/drivers/database_worker'
import { queueSettings } from '#app/queue/settings'
import type { JobRunner } from '#app/queue/execute'

/*
| Jobs in the app's own database (table `queue_jobs`): what runs locally and on desktops without
| Redis, and what makes queued work survive a restart. Times are epoch milliseconds (portable
| comparisons on all three databases). A worker claims a row with a conditional UPDATE, so
| several processes can share the table without row locks.
*/
export const TABLE = 'queue_jobs'

export class DatabaseDriver implements QueueDriver {
  readonly kind = 'database' as const
  /** Wakes this process's workers when a job is added here (no waiting for the next poll). */
  readonly added = new EventEmitter<{ job: [string] }>()

  constructor(protected run: JobRunner) {}

  client(): QueryClientContract {
    return db.connection()
  }

  async add(job: NewJob) {
    const now = Date.now()
    await this.client()
      .knexQuery()
      .table(TABLE)
      .insert({
        id: job.meta.id,
        queue: job.meta.queue,
        name: job.meta.name,
        payload: JSON.stringify(job.payload ?? null),
        meta: JSON.stringify(job.meta),
        status: 'waiting',
        priority: job.priority,
        attempts_made: 0,
        stalled_count: 0,
        max_attempts: job.attempts,
        backoff: JSON.stringify(job.backoff),
        dedupe_id: job.dedupeId,
        available_at: now + job.delay,
        created_at: now,
      })
      .onConflict('dedupe_id')
      .ignore()
    const inserted = await this.client().from(TABLE).where('id', job.meta.id).first()
    if (inserted || !job.dedupeId) {
      this.added.emit('job', job.meta.queue)
      return { id: job.meta.id, deduped: false }
    }
    const existing = await this.client().from(TABLE).where('dedupe_id', job.dedupeId).first()
    return { id: existing?.id ?? job.meta.id, deduped: true }
  }

  async work(options: WorkOptions) {
    const worker = new DatabaseWorker(this, this.run, options)
    worker.start()
    return worker
  }

  async counts(queue: string) {
    const now = Date.now()
    const rows = await this.client()
      .from(TABLE)
      .where('queue', queue)
      .select('status')
      .select(
        db.raw('CASE WHEN status = ? AND available_at > ? THEN 1 ELSE 0 END AS later', [
          'waiting',
          now,
        ])
      )
      .count('* as total')
      .groupBy('status', 'later')
    const counts: Record<JobState, number> = {
      waiting: 0,
      delayed: 0,
      active: 0,
      completed: 0,
      failed: 0,
    }
    for (const row of rows) {
      const state = (Number(row.later) ? 'delayed' : row.status) as JobState
      counts[state] += Number(row.total)
    }
    return counts
  }

  async series(queue: string, minutes: number) {
    const now = Date.now()
    const firstMinute = Math.floor(now / 60_000) - minutes + 1
    const rows = await this.client()
      .from(TABLE)
      .where('queue', queue)
      .whereIn('status', ['completed', 'failed'])
      .where('finished_at', '>=', firstMinute * 60_000)
      .select('status')
      .select(db.raw('finished_at - (finished_at % 60000) AS minute'))
      .count('* as total')
      .groupBy('status', 'minute')
    const completed = Array.from({ length: minutes }, () => 0)
    const failed = Array.from({ length: minutes }, () => 0)
    for (const row of rows) {
      const index = Number(row.minute) / 60_000 - firstMinute
      if (index < 0 || index >= minutes) continue
      ;(row.status === 'completed' ? completed : failed)[index] += Number(row.total)
    }
    return { completed, failed }
  }

  async failed(queue: string, limit: number): Promise<FailedJob[]> {
    const rows = await this.client()
      .from(TABLE)
      .where({ queue, status: 'failed' })
      .orderBy('finished_at', 'desc')
      .limit(limit)
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      queue: row.queue,
      error: row.last_error ?? '',
      attemptsMade: Number(row.attempts_made),
      failedAt: row.finished_at ? new Date(Number(row.finished_at)).toISOString() : null,
      taskId: JSON.parse(row.meta).taskId ?? null,
    }))
  }

  async retry(queue: string, id: string) {
    const updated = await this.client().from(TABLE).where({ queue, id, status: 'failed' }).update({
      status: 'waiting',
      attempts_made: 0,
      stalled_count: 0,
      available_at: Date.now(),
      finished_at: null,
    })
    if (Number(updated)) this.added.emit('job', queue)
    return Number(updated) > 0
  }

  async remove(queue: string, id: string) {
    const deleted = await this.client()
      .from(TABLE)
      .where({ queue, id })
      .whereNot('status', 'active')
      .delete()
    return Number(deleted) > 0
  }

  async discard(queue: string, id: string) {
    const deleted = await this.client().from(TABLE).where({ queue, id, status: 'waiting' }).delete()
    return Number(deleted) > 0
  }

  async clean(queue: string, state: 'completed' | 'failed', olderThanMs: number) {
    const deleted = await this.client()
      .from(TABLE)
      .where({ queue, status: state })
      .where('finished_at', '<', Date.now() - olderThanMs)
      .delete()
    return Number(deleted)
  }

  /** Drops finished jobs past their keep period (called by workers now and then). */
  async prune() {
    const now = Date.now()
    await this.client()
      .from(TABLE)
      .where((query) => {
        query
          .where((q) =>
            q
              .where('status', 'completed')
              .where('finished_at', '<', now - queueSettings.keepCompletedMs)
          )
          .orWhere((q) =>
            q.where('status', 'failed').where('finished_at', '<', now - queueSettings.keepFailedMs)
          )
      })
      .delete()
  }

  async close() {
    this.added.removeAllListeners()
  }
}
