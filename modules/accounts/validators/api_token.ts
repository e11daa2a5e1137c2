import vine from '@vinejs/vine'
import { MAX_DB_ID } from '#app/helpers/ids'
import { ABILITY_PATTERN } from '#config/abilities'

const abilities = () => vine.array(vine.string().regex(ABILITY_PATTERN)).minLength(1).maxLength(50)
const expiresInDays = () => vine.number().withoutDecimals().min(1).max(3650).nullable().optional()

export const createApiTokenValidator = vine.create({
  name: vine.string().trim().minLength(1).maxLength(120),
  abilities: abilities(),
  expiresInDays: expiresInDays(),
})

/* POST /api/v1/auth/tokens: a desktop signs in with the account's password. */
export const issueDesktopTokenValidator = vine.create({
  email: vine.string().trim().maxLength(254),
  password: vine.string().maxLength(256),
  deviceName: vine.string().trim().minLength(1).maxLength(120),
  companyId: vine.number().withoutDecimals().positive().max(MAX_DB_ID).optional(),
  abilities: abilities().optional(),
  expiresInDays: expiresInDays(),
})
