import { hostname } from 'node:os'
import db from '@adonisjs/lucid/services/db'
import { processId } from '#app/queue/settings'

/*
| Workers and schedulers say they are alive every few seconds (table `queue_workers`); the
| System page lists those seen recently. A stopped process removes its row; a killed one
| simply ages out.
*/
export type WorkerKind = 'worker' | 'scheduler' | 'web'

const BEAT_MS = 10_000
export const ONLINE_WITHIN_MS = 30_000

export type WorkerRow = {
  id: string
  kind: WorkerKind
  host: string
  pid: number
  queues: string
  concurrency: number
  startedAt: number
  lastSeenAt: number
}

export class Heartbeats {
  async start(info: { kind: WorkerKind; queues?: string[]; concurrency?: number }) {
    const id = `${processId}:${info.kind}`
    const now = Date.now()
    const client = () => db.connection()
    await client().from('queue_workers').where('id', id).delete()
    await client()
      .table('queue_workers')
      .insert({
        id,
        kind: info.kind,
        host: hostname(),
        pid: process.pid,
        queues: (info.queues ?? []).join(','),
        concurrency: info.concurrency ?? 0,
        started_at: now,
        last_seen_at: now,
      })
    const timer = setInterval(() => {
      client()
        .from('queue_workers')
        .where('id', id)
        .update({ last_seen_at: Date.now() })
        .catch(() => {})
    }, BEAT_MS)
    timer.unref()
    return {
      async stop() {
        clearInterval(timer)
        await client()
          .from('queue_workers')
          .where('id', id)
          .delete()
          .catch(() => {})
      },
    }
  }

  async online(): Promise<WorkerRow[]> {
    const rows = await db
      .from('queue_workers')
      .where('last_seen_at', '>=', Date.now() - ONLINE_WITHIN_MS)
      .orderBy('started_at')
    return rows.map((row) => ({
      id: row.id,
      kind: row.kind,
      host: row.host,
      pid: Number(row.pid),
      queues: row.queues,
      concurrency: Number(row.concurrency),
      startedAt: Number(row.started_at),
      lastSeenAt: Number(row.last_seen_at),
    }))
  }

  /** Forgets processes that have not been seen for a day. */
  async prune() {
    await db
      .from('queue_workers')
      .where('last_seen_at', '<', Date.now() - 86_400_000)
      .delete()
  }
}
