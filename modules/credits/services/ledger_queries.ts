import db from '@adonisjs/lucid/services/db'
import { paginateByCursor } from '#app/helpers/cursor'
import { num, spendingOrder } from '#credits/services/ledger_tx'

/*
| Reads of the ledger for lists and pages: entries newest first with an opaque cursor, the
| grants that still hold credits, the active holds.
*/
export type EntryView = {
  id: number
  type: string
  amount: number
  heldChange: number
  balanceAfter: number
  heldAfter: number
  grantId: number | null
  holdId: number | null
  actor: { type: string; id: string | null }
  reason: string
  metadata: Record<string, unknown> | null
  createdAt: string
}

export function presentEntry(row: any): EntryView {
  return {
    id: Number(row.id),
    type: row.type,
    amount: Number(row.amount),
    heldChange: Number(row.held_change),
    balanceAfter: Number(row.balance_after),
    heldAfter: Number(row.held_after),
    grantId: num(row.grant_id),
    holdId: num(row.hold_id),
    actor: { type: row.actor_type, id: row.actor_id },
    reason: row.reason,
    metadata: row.metadata ? JSON.parse(row.metadata) : null,
    createdAt: new Date(Number(row.created_at)).toISOString(),
  }
}

export async function listEntries(
  companyId: number,
  options: { type?: string; limit: number; cursor?: string }
) {
  const query = db.from('credit_entries').where('company_id', companyId)
  if (options.type) query.where('type', options.type)
  const page = await paginateByCursor(query, { ...options, newestFirst: true })
  return { data: page.rows.map(presentEntry), nextCursor: page.nextCursor }
}

export async function openGrants(companyId: number, now: number) {
  const rows = await db
    .from('credit_grants')
    .where('company_id', companyId)
    .where('remaining', '>', 0)
    .where((q) => q.whereNull('expires_at').orWhere('expires_at', '>', now))
    .orderByRaw(spendingOrder())
  return rows.map((row: any) => ({
    id: Number(row.id),
    kind: row.kind as 'paid' | 'free',
    amount: Number(row.amount),
    remaining: Number(row.remaining),
    priority: Number(row.priority),
    expiresAt: row.expires_at === null ? null : new Date(Number(row.expires_at)).toISOString(),
  }))
}

export async function activeHolds(companyId: number, now: number) {
  const rows = await db
    .from('credit_holds')
    .where('company_id', companyId)
    .where('status', 'active')
    .where('expires_at', '>', now)
    .orderBy('id')
  return rows.map((row: any) => ({
    id: Number(row.id),
    amount: Number(row.amount),
    reason: row.reason as string,
    expiresAt: new Date(Number(row.expires_at)).toISOString(),
    createdAt: new Date(Number(row.created_at)).toISOString(),
  }))
}

/* The entries already stored under these keys (null ones skipped), by key: one statement. */
export async function storedEntries(companyId: number, keys: Array<string | null>) {
  const wanted = keys.filter((key): key is string => key !== null)
  if (!wanted.length) return new Map<string, any>()
  const rows = await db
    .from('credit_entries')
    .where('company_id', companyId)
    .whereIn('idempotency_key', wanted)
    .select('id', 'amount', 'reason', 'idempotency_key')
  return new Map<string, any>(rows.map((row: any) => [row.idempotency_key, row]))
}
