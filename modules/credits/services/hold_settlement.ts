import { spendingOrder, type Actor, type LedgerTx } from '#credits/services/ledger_tx'

/*
| Settling a hold: `capture` credits leave the balance (taken from the reserved grants that expire
| soonest), the rest goes back to the grants it was reserved from. Writes a `capture` entry when
| something is captured and a `release` entry when something is given back.
*/
export type HoldRow = { id: number | string; amount: number | string; status: string }

export async function settleHold(
  tx: LedgerTx,
  hold: HoldRow,
  options: {
    capture: number
    status: 'captured' | 'released' | 'expired'
    actor: Actor
    reason: string
    idempotencyKey?: string | null
    metadata?: Record<string, unknown> | null
  }
) {
  const holdId = Number(hold.id)
  const amount = Number(hold.amount)
  const reservations = await tx.trx
    .from('credit_hold_grants')
    .join('credit_grants', 'credit_grants.id', 'credit_hold_grants.grant_id')
    .where('credit_hold_grants.hold_id', holdId)
    .select('credit_hold_grants.grant_id', 'credit_hold_grants.amount', 'credit_grants.expires_at')
    .orderByRaw(spendingOrder('credit_grants'))

  let toCapture = options.capture
  const giveBack: Array<{ grantId: number; amount: number }> = []
  for (const row of reservations) {
    const reserved = Number(row.amount)
    const used = Math.min(toCapture, reserved)
    toCapture -= used
    if (reserved > used) giveBack.push({ grantId: Number(row.grant_id), amount: reserved - used })
    if (row.expires_at !== null && reserved > used) tx.expiresAt(Number(row.expires_at))
  }

  let captureEntryId: number | null = null
  if (options.capture > 0) {
    captureEntryId = await tx.append({
      type: 'capture',
      amount: -options.capture,
      heldChange: -options.capture,
      holdId,
      actor: options.actor,
      reason: options.reason,
      metadata: options.metadata,
      idempotencyKey: options.idempotencyKey,
    })
  }
  const released = amount - options.capture
  let releaseEntryId: number | null = null
  if (released > 0) {
    releaseEntryId = await tx.append({
      type: 'release',
      amount: 0,
      heldChange: -released,
      holdId,
      actor: options.actor,
      reason: options.reason,
      metadata: options.metadata,
      idempotencyKey: captureEntryId === null ? options.idempotencyKey : null,
    })
    await tx.returnToGrants(releaseEntryId, giveBack)
  }
  await tx.trx
    .from('credit_holds')
    .where('id', holdId)
    .update({ status: options.status, captured: options.capture, settled_at: tx.now })
  return { captureEntryId, releaseEntryId, captured: options.capture, released }
}
