import db from '@adonisjs/lucid/services/db'

/*
| Deletes raw events older than the retention, a batch at a time, each batch its own short
| statement: ingestion keeps writing in between. Rollups, issues and installations stay.
*/
export type PruneProgress = { deleted: number; batches: number }

export async function pruneEvents(options: {
  olderThan: number
  batchSize?: number
  onBatch?: (progress: PruneProgress) => void
}) {
  const batchSize = options.batchSize ?? 5000
  const progress: PruneProgress = { deleted: 0, batches: 0 }
  for (;;) {
    const rows = await db
      .from('telemetry_events')
      .where('received_at', '<', options.olderThan)
      .orderBy('received_at')
      .limit(batchSize)
      .select('id')
    if (!rows.length) return progress
    const deleted = await db
      .from('telemetry_events')
      .whereIn(
        'id',
        rows.map((row: { id: number }) => row.id)
      )
      .delete()
    progress.deleted += Number(Array.isArray(deleted) ? deleted[0] : deleted)
    progress.batches++
    options.onBatch?.(progress)
    if (rows.length < batchSize) return progress
  }
}

export async function countPrunable(olderThan: number) {
  const [row] = await db
    .from('telemetry_events')
    .where('received_at', '<', olderThan)
    .count('* as n')
  return Number(row?.n ?? 0)
}
