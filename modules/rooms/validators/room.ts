import vine from '@vinejs/vine'
import { VISIBILITIES } from '#rooms/services/rooms_service'

/* Rooms' forms and query strings (socket payloads are checked in services/socket_errors.ts). */
const name = () => vine.string().trim().minLength(1).maxLength(80)
const topic = () => vine.string().trim().maxLength(250).nullable()

export const createRoomValidator = vine.create({
  name: name(),
  topic: topic().optional(),
  visibility: vine.enum(VISIBILITIES).optional(),
})

export const updateRoomValidator = vine.create({
  name: name().optional(),
  topic: topic().optional(),
  archived: vine.boolean().optional(),
})

export const listRoomsValidator = vine.create({
  archived: vine.boolean().optional(),
})

export const listMessagesValidator = vine.create({
  cursor: vine.string().maxLength(64).optional(),
  limit: vine.number().withoutDecimals().min(1).max(200).optional(),
  after: vine.number().withoutDecimals().min(0).optional(),
})

/* Emptiness and length are the service's (E_MESSAGE_EMPTY, E_MESSAGE_TOO_LONG), as on the socket. */
export const messageValidator = vine.create({
  body: vine.string().nullable().optional(),
  attachments: vine.array(vine.number().withoutDecimals().min(1)).maxLength(10).optional(),
})

export const inviteValidator = vine.create({
  userId: vine.number().withoutDecimals().min(1),
})
