import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import app from '@adonisjs/core/services/app'
import modulesConfig from '#config/modules'
import { ApiError } from '#app/exceptions/api_error'

export const MAX_ATTACHMENTS = 10
export type Attachment = { id: number; name: string; size: number; mime: string }

/*
| Files attached to messages, through the files module's service: each id must be a live file of
| the room's company (404 otherwise, like any other company's file). Without the files module
| there is nothing to attach (422 E_ATTACHMENTS_UNAVAILABLE).
*/
export async function resolveAttachments(companyId: number, ids: unknown): Promise<Attachment[]> {
  if (ids === undefined || ids === null) return []
  if (
    !Array.isArray(ids) ||
    ids.length > MAX_ATTACHMENTS ||
    !ids.every((id) => Number.isSafeInteger(id) && id > 0)
  )
    throw ApiError.invalid(
      'E_VALIDATION_ERROR',
      `attachments must be up to ${MAX_ATTACHMENTS} file ids`,
      'attachments'
    )
  if (!ids.length) return []
  if (!modulesConfig.isEnabled('files'))
    throw ApiError.invalid(
      'E_ATTACHMENTS_UNAVAILABLE',
      'Files are not enabled on this server',
      'attachments'
    )
  const { FilesService } = await import('#files/services/files_service')
  const files = await app.container.make(FilesService)
  const found: Attachment[] = []
  for (const id of new Set(ids as number[])) {
    const row = await files.find(companyId, id)
    found.push({ id: Number(row.id), name: row.name, size: Number(row.size), mime: row.mime })
  }
  return found
}

export async function saveAttachments(
  trx: TransactionClientContract,
  messageId: number,
  files: Attachment[]
) {
  if (!files.length) return
  await trx.table('room_message_files').multiInsert(
    files.map((file, position) => ({
      message_id: messageId,
      file_id: file.id,
      position,
      name: file.name,
      size: file.size,
      mime: file.mime,
    }))
  )
}

/** The attachments of these messages, by message id. */
export async function attachmentsOf(messageIds: Array<number | string>) {
  const byMessage = new Map<number, Attachment[]>()
  if (!messageIds.length) return byMessage
  const rows = await db
    .from('room_message_files')
    .whereIn('message_id', messageIds.map(Number))
    .orderBy(['message_id', 'position'])
  for (const row of rows) {
    const list = byMessage.get(Number(row.message_id)) ?? []
    list.push({ id: Number(row.file_id), name: row.name, size: Number(row.size), mime: row.mime })
    byMessage.set(Number(row.message_id), list)
  }
  return byMessage
}
