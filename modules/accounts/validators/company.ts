import vine from '@vinejs/vine'
import { MAX_DB_ID } from '#app/helpers/ids'
import { ROLES } from '#accounts/services/roles'

const name = () => vine.string().trim().minLength(1).maxLength(120)

export const createCompanyValidator = vine.create({ name: name() })

export const updateCompanyValidator = vine.create({ name: name() })

/* Deleting a company is confirmed by typing its name. */
export const deleteCompanyValidator = vine.create({
  confirmation: vine.string().trim().maxLength(120),
})

export const switchCompanyValidator = vine.create({
  companyId: vine.number().withoutDecimals().positive().max(MAX_DB_ID),
})

export const updateMemberValidator = vine.create({ role: vine.enum(ROLES) })

export const createInvitationValidator = vine.create({
  email: vine.string().trim().email().maxLength(254).toLowerCase(),
  role: vine.enum(ROLES),
})
