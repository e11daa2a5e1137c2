import { can, type Role } from '#accounts/services/roles'
import type { Attachment } from '#rooms/services/attachments'

/* Rows as the query builder returns them (bigints may arrive as strings from PostgreSQL). */
export type RoomRow = {
  id: number
  company_id: number
  name: string
  topic: string | null
  visibility: 'public' | 'invite_only'
  created_by: number | null
  archived_at: number | string | null
  created_at: number | string
  updated_at: number | string
  joined?: number | boolean | string
  member_count?: number | string
}

export type MessageRow = {
  id: number | string
  room_id: number
  user_id: number | null
  body: string
  created_at: number | string
  edited_at: number | string | null
  deleted_at: number | string | null
  full_name?: string | null
  email?: string | null
}

const iso = (ms: number | string | null) =>
  ms === null ? null : new Date(Number(ms)).toISOString()

export function presentRoom(row: RoomRow, actor: { userId: number; role: Role }) {
  return {
    id: Number(row.id),
    companyId: Number(row.company_id),
    name: row.name,
    topic: row.topic,
    visibility: row.visibility,
    archived: row.archived_at !== null,
    archivedAt: iso(row.archived_at),
    createdBy: row.created_by,
    joined: Boolean(Number(row.joined ?? 0)),
    memberCount: Number(row.member_count ?? 0),
    canManage: row.created_by === actor.userId || can(actor.role, 'rooms:manage'),
    createdAt: iso(row.created_at),
  }
}
export type RoomView = ReturnType<typeof presentRoom>

export const authorName = (row: { full_name?: string | null; email?: string | null }) =>
  row.full_name || row.email?.split('@')[0] || 'Former member'

export function presentMessage(row: MessageRow, attachments: Attachment[] = []) {
  const deleted = row.deleted_at !== null
  return {
    id: Number(row.id),
    roomId: Number(row.room_id),
    userId: row.user_id,
    author: authorName(row),
    body: deleted ? '' : row.body,
    createdAt: iso(row.created_at)!,
    editedAt: iso(row.edited_at),
    deleted,
    attachments: deleted ? [] : attachments,
  }
}
export type MessageView = ReturnType<typeof presentMessage>
