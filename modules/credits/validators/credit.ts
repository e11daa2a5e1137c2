import vine from '@vinejs/vine'
import { ENTRY_TYPES } from '#credits/services/ledger_tx'
import { MAX_BATCH } from '#credits/services/credits_service'

/*
| Credits are whole numbers. One operation moves at most a trillion of them, far inside the
| integers JavaScript and every database column here hold exactly.
*/
export const MAX_CREDITS = 1_000_000_000_000

const credits = () => vine.number({ strict: true }).withoutDecimals().min(1).max(MAX_CREDITS)
/* No NUL character: PostgreSQL's text cannot hold one (a 500 instead of a clear 422 before). */
const reason = () =>
  vine
    .string()
    .trim()
    .minLength(1)
    .maxLength(500)
    // eslint-disable-next-line no-control-regex -- NUL is exactly what is refused
    .regex(/^[^\u0000]*$/)
const metadata = () => vine.record(vine.any()).optional()

const consume = () => ({ amount: credits(), reason: reason(), metadata: metadata() })

export const consumeCreditsValidator = vine.create(consume())

/* Up to MAX_BATCH uses in one request, each its own consume (see CreditsService.consumeBatch). */
export const consumeBatchValidator = vine.create({
  consumes: vine.array(vine.object(consume())).minLength(1).maxLength(MAX_BATCH),
})

export const createHoldValidator = vine.create({
  amount: credits(),
  /* Up to a week: a hold is for work in progress, not for parking credits. */
  ttlSeconds: vine
    .number({ strict: true })
    .withoutDecimals()
    .min(1)
    .max(7 * 24 * 3600),
  reason: reason(),
  metadata: metadata(),
})

export const captureHoldValidator = vine.create({
  amount: vine.number({ strict: true }).withoutDecimals().min(0).max(MAX_CREDITS),
  metadata: metadata(),
})

export const releaseHoldValidator = vine.create({
  metadata: metadata(),
})

export const listTransactionsValidator = vine.create({
  type: vine.enum(ENTRY_TYPES).optional(),
  limit: vine.number().withoutDecimals().min(1).max(200).optional(),
  cursor: vine.string().maxLength(200).optional(),
})

export const updateLowBalanceThresholdValidator = vine.create({
  threshold: vine.number().withoutDecimals().min(1).max(MAX_CREDITS).nullable().optional(),
})

export const adminListValidator = vine.create({
  q: vine.string().trim().maxLength(100).optional(),
  page: vine.number().withoutDecimals().min(1).max(100_000).optional(),
})

/* An admin grant: expiry as a date (end of that UTC day), a mandatory reason. */
export const adminGrantValidator = vine.create({
  amount: vine.number().withoutDecimals().min(1).max(MAX_CREDITS),
  kind: vine.enum(['paid', 'free'] as const),
  expiresOn: vine
    .date({ formats: ['YYYY-MM-DD'] })
    .afterOrEqual('today')
    .optional(),
  reason: vine.string().trim().minLength(3).maxLength(500),
})

/* A correction: positive adds a free grant, negative takes credits out (never below zero); not 0. */
export const adminAdjustmentValidator = vine.create({
  amount: vine.number().withoutDecimals().min(-MAX_CREDITS).max(MAX_CREDITS),
  reason: vine.string().trim().minLength(3).maxLength(500),
})
