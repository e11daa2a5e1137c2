import vine from '@vinejs/vine'
import { EVENT_TYPES, LEVELS } from '#telemetry/services/batch'
import { ISSUE_STATUSES } from '#telemetry/services/issues'

/* Query strings and admin forms of the telemetry module (the batch itself: services/batch.ts). */
const platform = () =>
  vine
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/)
const channel = () =>
  vine
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/)
const version = () =>
  vine
    .string()
    .trim()
    .regex(/^[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}$/)
const rollout = () => vine.number().withoutDecimals().min(0).max(100)

export const latestReleaseValidator = vine.create({
  platform: platform(),
  channel: channel().optional(),
  current: version().optional(),
  installationId: vine
    .string()
    .uuid({ version: [1, 2, 3, 4, 5, 6, 7, 8] })
    .optional(),
})

export const eventFiltersValidator = vine.create({
  type: vine.enum(EVENT_TYPES).optional(),
  level: vine.enum(LEVELS).optional(),
  installation: vine
    .string()
    .trim()
    .uuid({ version: [1, 2, 3, 4, 5, 6, 7, 8] })
    .optional(),
  company: vine.number().withoutDecimals().min(1).optional(),
  version: version().optional(),
  q: vine.string().trim().maxLength(200).optional(),
  /* ISO 8601; without a zone it is UTC (what a datetime-local input sends). */
  from: vine.string().trim().maxLength(40).optional(),
  to: vine.string().trim().maxLength(40).optional(),
  cursor: vine.string().maxLength(64).optional(),
  limit: vine.number().withoutDecimals().min(1).max(200).optional(),
})

export const exportFormatValidator = vine.create({
  format: vine.enum(['csv', 'jsonl'] as const),
})

export const issueListValidator = vine.create({
  status: vine.enum(ISSUE_STATUSES).optional(),
  q: vine.string().trim().maxLength(200).optional(),
  page: vine.number().withoutDecimals().min(1).optional(),
})

export const issueStatusValidator = vine.create({
  status: vine.enum(ISSUE_STATUSES),
})

export const storeReleaseValidator = vine.create({
  version: version(),
  channel: channel(),
  platform: platform(),
  downloadUrl: vine
    .string()
    .trim()
    .url({ protocols: ['https', 'http'] })
    .maxLength(2000),
  sha256: vine
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-f0-9]{64}$/),
  notes: vine.string().trim().maxLength(10_000).optional(),
  rolloutPercentage: rollout(),
})

export const updateReleaseValidator = vine.create({
  rolloutPercentage: rollout(),
  notes: vine.string().trim().maxLength(10_000).optional(),
})
