import vine from '@vinejs/vine'

const email = () => vine.string().trim().email().maxLength(254).toLowerCase()
/* NIST 800-63B: at least 8 characters, long passphrases welcome, no composition rules. */
const newPassword = () => vine.string().minLength(8).maxLength(256)

export const signupValidator = vine.create({
  fullName: vine.string().trim().maxLength(120).optional(),
  email: email(),
  password: newPassword(),
  invitation: vine.string().maxLength(200).optional(),
})

export const loginValidator = vine.create({
  email: vine.string().trim().maxLength(254),
  password: vine.string().maxLength(256),
  remember: vine.boolean().optional(),
})

export const forgotPasswordValidator = vine.create({
  email: email(),
})

export const resetPasswordValidator = vine.create({
  password: newPassword().confirmed({ confirmationField: 'passwordConfirmation' }),
})

export const updateProfileValidator = vine.create({
  fullName: vine.string().trim().maxLength(120).nullable(),
  email: email(),
  currentPassword: vine.string().maxLength(256).optional(),
})

export const updatePasswordValidator = vine.create({
  currentPassword: vine.string().maxLength(256),
  password: newPassword().confirmed({ confirmationField: 'passwordConfirmation' }),
})

export const deleteAccountValidator = vine.create({
  password: vine.string().maxLength(256),
})
