import vine from '@vinejs/vine'
import { INTERVALS } from '#billing/services/plans'

export const subscribeValidator = vine.create({
  plan: vine.string().trim().maxLength(64),
  interval: vine.enum(INTERVALS),
})
