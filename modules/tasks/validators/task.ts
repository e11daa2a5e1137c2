import vine from '@vinejs/vine'

const statuses = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const

export const listTasksValidator = vine.create({
  status: vine.enum(statuses).optional(),
  page: vine.number().withoutDecimals().min(1).max(100_000).optional(),
})

export const apiListTasksValidator = vine.create({
  status: vine.enum(statuses).optional(),
  limit: vine.number().withoutDecimals().min(1).max(100).optional(),
  cursor: vine.string().maxLength(200).optional(),
})
