import vine from '@vinejs/vine'

export const listFilesValidator = vine.create({
  cursor: vine.string().maxLength(64).optional(),
  limit: vine.number().withoutDecimals().min(1).max(200).optional(),
})
