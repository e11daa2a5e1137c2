import vine from '@vinejs/vine'

export const createUserValidator = vine.create({
  email: vine.string().trim().email().maxLength(254).toLowerCase(),
  password: vine.string().minLength(8).maxLength(256),
  name: vine.string().trim().maxLength(120).optional(),
  company: vine.string().trim().minLength(1).maxLength(120).optional(),
})
