import vine from '@vinejs/vine'

/* `?q=…&page=…` on the admin lists. */
export const searchValidator = vine.create({
  q: vine.string().trim().maxLength(120).optional(),
  page: vine.number().withoutDecimals().min(1).optional(),
})
