import { randomUUID } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import { ApiError } from '#app/exceptions/api_error'
import { affectedRows } from '#app/helpers/query_results'

/*
| The idempotency_keys table. A request claims a key by inserting it (a conflicting insert is
| ignored, so exactly one request wins on every database) and then reads back whose claim
| stands. A claim still `running` after IDEMPOTENCY_STALE_MS (a process died mid-request) can be
| taken over; the writes behind it are idempotent on their own (credit entries carry the key).
*/
export type KeyRow = {
  id: number
  request_hash: string
  claim: string
  status: 'running' | 'done'
  response_status: number | null
  response_body: string | null
  created_at: number
  expires_at: number
}

const number = (name: string, fallback: number) => {
  const value = Number(process.env[name])
  return Number.isFinite(value) && value > 0 ? value : fallback
}
const TTL_MS = number('IDEMPOTENCY_TTL_HOURS', 24) * 3_600_000
const STALE_MS = number('IDEMPOTENCY_STALE_MS', 60_000)

export class IdempotencyKeys {
  async claim(scope: string, key: string, hash: string): Promise<{ row: KeyRow; replay?: KeyRow }> {
    const claim = randomUUID()
    const now = Date.now()
    await db
      .knexQuery()
      .table('idempotency_keys')
      .insert({
        scope,
        key,
        request_hash: hash,
        claim,
        status: 'running',
        created_at: now,
        expires_at: now + TTL_MS,
      })
      .onConflict(['scope', 'key'])
      .ignore()
    const row = toRow(await db.from('idempotency_keys').where({ scope, key }).first())
    if (row.claim === claim) return { row }
    /* Past its retention but not pruned yet: the key is free again. */
    if (row.expires_at <= now) {
      await db.from('idempotency_keys').where('id', row.id).where('claim', row.claim).delete()
      return this.claim(scope, key, hash)
    }
    if (row.request_hash !== hash) {
      throw ApiError.invalid(
        'E_IDEMPOTENCY_KEY_REUSED',
        'This Idempotency-Key was used with a different request'
      )
    }
    if (row.status === 'done') return { row, replay: row }
    if (now - row.created_at > STALE_MS && (await this.#takeOver(row, claim, now))) {
      return { row: { ...row, claim, created_at: now } }
    }
    throw new ApiError(
      'E_IDEMPOTENCY_IN_PROGRESS',
      'A request with this Idempotency-Key is still being processed; retry later',
      { status: 409, retryAfter: 1 }
    )
  }

  async complete(row: KeyRow, status: number, body: unknown) {
    await db
      .from('idempotency_keys')
      .where('id', row.id)
      .where('claim', row.claim)
      .update({
        status: 'done',
        response_status: status,
        response_body:
          body === undefined || body === null || body === '' ? null : JSON.stringify(body),
      })
  }

  /** The request failed in a way worth retrying: the key is free again. */
  async release(row: KeyRow) {
    await db.from('idempotency_keys').where('id', row.id).where('claim', row.claim).delete()
  }

  async prune(now = Date.now()) {
    return db.from('idempotency_keys').where('expires_at', '<=', now).delete()
  }

  async #takeOver(row: KeyRow, claim: string, now: number) {
    const updated = await db
      .from('idempotency_keys')
      .where('id', row.id)
      .where('claim', row.claim)
      .where('status', 'running')
      .update({ claim, created_at: now })
    return affectedRows(updated) === 1
  }
}

function toRow(row: any): KeyRow {
  return {
    ...row,
    id: Number(row.id),
    response_status: row.response_status === null ? null : Number(row.response_status),
    created_at: Number(row.created_at),
    expires_at: Number(row.expires_at),
  }
}
