import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import { membershipRole } from '#accounts/services/memberships_service'
import { ApiError } from '#app/exceptions/api_error'
import { RoomsSettings } from '#rooms/services/rooms_settings'
import { RoomsBroadcast } from '#rooms/services/rooms_broadcast'
import { authorName } from '#rooms/services/presenters'
import { ensureOpen, RoomsService, type Actor } from '#rooms/services/rooms_service'

/*
| Who belongs to a room. Anyone in the company joins a public room; an invite-only room is
| joined by invitation from one of its members. Leaving (or being removed) also takes the
| user's live connections out of the room on every node.
*/
@inject()
export class RoomMembersService {
  constructor(
    private settings: RoomsSettings,
    private rooms: RoomsService,
    private broadcast: RoomsBroadcast
  ) {}

  async list(actor: Actor, roomId: unknown) {
    const { room } = await this.rooms.access(actor, roomId)
    const rows = await db
      .from('room_members as m')
      .join('users as u', 'u.id', 'm.user_id')
      .where('m.room_id', room.id)
      .select('m.user_id', 'm.joined_at', 'u.full_name', 'u.email')
      .orderBy('m.joined_at', 'asc')
    return rows.map((row) => ({
      userId: Number(row.user_id),
      name: authorName(row),
      joinedAt: new Date(Number(row.joined_at)).toISOString(),
    }))
  }

  /** The room, or 404 before anything else (a request's body is checked after tenancy). */
  async ensureVisible(actor: Actor, roomId: unknown) {
    const { room } = await this.rooms.access(actor, roomId)
    return room
  }

  /**
   * Joins a public room (idempotent). An invite-only room the user is not in is a 404 from
   * `access`, so its existence is not revealed.
   */
  async join(actor: Actor, roomId: unknown) {
    const { room, isMember } = await this.rooms.access(actor, roomId)
    if (isMember) return room
    ensureOpen(room)
    await this.#add(room.id, actor.userId)
    return room
  }

  async leave(actor: Actor, roomId: unknown) {
    const { room } = await this.rooms.access(actor, roomId)
    await db.from('room_members').where({ room_id: room.id, user_id: actor.userId }).delete()
    await this.broadcast.evict([room.id], actor.userId)
  }

  async invite(actor: Actor, roomId: unknown, userId: number) {
    const { room, isMember, canManage } = await this.rooms.access(actor, roomId)
    ensureOpen(room)
    if (!isMember && !canManage)
      throw ApiError.forbidden('Join the room first', 'E_NOT_A_ROOM_MEMBER')
    if (!(await membershipRole(actor.companyId, userId)))
      throw ApiError.invalid('E_NOT_A_COMPANY_MEMBER', 'That user is not in this company', 'userId')
    await this.#add(room.id, userId)
  }

  async remove(actor: Actor, roomId: unknown, userId: number) {
    const { room, canManage } = await this.rooms.access(actor, roomId)
    if (!canManage && userId !== actor.userId)
      throw ApiError.forbidden('Only the room’s creator and company admins may remove members')
    await db.from('room_members').where({ room_id: room.id, user_id: userId }).delete()
    await this.broadcast.evict([room.id], userId)
  }

  /** The user lost the company: out of all its rooms, live connections included. */
  async forget(companyId: number, userId: number) {
    const rooms = await db.from('rooms').where('company_id', companyId).select('id')
    const ids = rooms.map((row) => Number(row.id))
    if (ids.length)
      await db.from('room_members').whereIn('room_id', ids).where('user_id', userId).delete()
    await this.broadcast.evict(ids, userId)
  }

  async #add(roomId: number, userId: number) {
    const existing = await db
      .from('room_members')
      .where({ room_id: roomId, user_id: userId })
      .first()
    if (existing) return
    try {
      await db
        .table('room_members')
        .insert({ room_id: roomId, user_id: userId, joined_at: this.settings.now() })
    } catch (error) {
      /* Two joins at once: the primary key keeps one row, and the user is a member either way. */
      const again = await db
        .from('room_members')
        .where({ room_id: roomId, user_id: userId })
        .first()
      if (!again) throw error
    }
  }
}
