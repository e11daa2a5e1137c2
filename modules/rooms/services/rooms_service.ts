import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import { can, type Role } from '#accounts/services/roles'
import { membershipRole } from '#accounts/services/memberships_service'
import { ApiError } from '#app/exceptions/api_error'
import { isDbId } from '#app/helpers/ids'
import { RoomsSettings } from '#rooms/services/rooms_settings'
import { RoomsBroadcast } from '#rooms/services/rooms_broadcast'
import { DEFAULT_TIMER } from '#rooms/services/timer_state'
import { presentRoom, type RoomRow } from '#rooms/services/presenters'

export type Visibility = 'public' | 'invite_only'
export const VISIBILITIES: Visibility[] = ['public', 'invite_only']

/** Who is asking, in which company: from a session's tenant, a token, or a socket. */
export type Actor = { userId: number; companyId: number; role: Role }

/* What an actor may do with one room. */
export type Access = { room: RoomRow; isMember: boolean; canManage: boolean }

/*
| Rooms of a company: public ones every member may see and join, invite-only ones only their
| members see. Renaming and archiving belong to the room's creator and the company's owners and
| admins (`rooms:manage`).
*/
@inject()
export class RoomsService {
  constructor(
    private settings: RoomsSettings,
    private broadcast: RoomsBroadcast
  ) {}

  /** The actor for a user in a company, or null when they are not a member of it. */
  async actor(companyId: number, userId: number): Promise<Actor | null> {
    const role = await membershipRole(companyId, userId)
    return role ? { userId, companyId, role } : null
  }

  async list(actor: Actor, options: { archived?: boolean } = {}) {
    const rows: RoomRow[] = await db
      .from('rooms as r')
      .leftJoin('room_members as m', (join) =>
        join.on('m.room_id', 'r.id').andOnVal('m.user_id', actor.userId)
      )
      .where('r.company_id', actor.companyId)
      .where((query) => query.where('r.visibility', 'public').orWhereNotNull('m.user_id'))
      .if(options.archived, (query) => query.whereNotNull('r.archived_at'))
      .if(!options.archived, (query) => query.whereNull('r.archived_at'))
      .select('r.*', db.raw('case when m.user_id is null then 0 else 1 end as joined'))
      .select(
        db.raw('(select count(*) from room_members c where c.room_id = r.id) as member_count')
      )
      .orderBy('r.name', 'asc')
      .orderBy('r.id', 'asc')
    return rows.map((row) => presentRoom(row, actor))
  }

  /** The room if the actor may see it (404 otherwise, so invite-only rooms stay invisible). */
  async access(actor: Actor, roomId: unknown): Promise<Access> {
    const room: RoomRow | null = isDbId(Number(roomId))
      ? await db
          .from('rooms')
          .where({ id: Number(roomId), company_id: actor.companyId })
          .first()
      : null
    if (!room) throw ApiError.notFound('Room not found')
    const isMember = Boolean(
      await db.from('room_members').where({ room_id: room.id, user_id: actor.userId }).first()
    )
    if (room.visibility !== 'public' && !isMember) throw ApiError.notFound('Room not found')
    const canManage = room.created_by === actor.userId || can(actor.role, 'rooms:manage')
    return { room, isMember, canManage }
  }

  async create(
    actor: Actor,
    input: { name: string; topic?: string | null; visibility?: Visibility }
  ) {
    const now = this.settings.now()
    const id = await db.transaction(async (trx) => {
      const [inserted] = await trx
        .table('rooms')
        .insert({
          company_id: actor.companyId,
          name: input.name,
          topic: input.topic ?? null,
          visibility: input.visibility ?? 'public',
          created_by: actor.userId,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
      const roomId = Number(typeof inserted === 'object' ? inserted.id : inserted)
      await trx
        .table('room_members')
        .insert({ room_id: roomId, user_id: actor.userId, joined_at: now })
      await trx.table('room_timers').insert({
        room_id: roomId,
        status: DEFAULT_TIMER.status,
        focus_seconds: DEFAULT_TIMER.focusSeconds,
        break_seconds: DEFAULT_TIMER.breakSeconds,
        elapsed_ms: 0,
        updated_at: now,
      })
      return roomId
    })
    return this.show(actor, id)
  }

  async show(actor: Actor, roomId: number) {
    const { room, isMember } = await this.access(actor, roomId)
    const count = await db.from('room_members').where('room_id', room.id).count('* as total')
    return presentRoom({ ...room, joined: isMember, member_count: count[0].total }, actor)
  }

  async update(actor: Actor, roomId: unknown, input: { name?: string; topic?: string | null }) {
    const { room } = await this.#managed(actor, roomId)
    await db
      .from('rooms')
      .where('id', room.id)
      .update({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.topic !== undefined ? { topic: input.topic } : {}),
        updated_at: this.settings.now(),
      })
    return this.#announce(actor, room.id)
  }

  async setArchived(actor: Actor, roomId: unknown, archived: boolean) {
    const { room } = await this.#managed(actor, roomId)
    const now = this.settings.now()
    await db
      .from('rooms')
      .where('id', room.id)
      .update({ archived_at: archived ? (room.archived_at ?? now) : null, updated_at: now })
    return this.#announce(actor, room.id)
  }

  async #managed(actor: Actor, roomId: unknown) {
    const access = await this.access(actor, roomId)
    if (!access.canManage)
      throw ApiError.forbidden('Only the room’s creator and company admins may change it')
    return access
  }

  async #announce(actor: Actor, roomId: number) {
    const room = await this.show(actor, roomId)
    this.broadcast.roomUpdated(room)
    return room
  }
}

/** An archived room is read-only: no messages, no timer changes. */
export function ensureOpen(room: RoomRow) {
  if (room.archived_at !== null && room.archived_at !== undefined)
    throw ApiError.conflict('E_ROOM_ARCHIVED', 'This room is archived; it is read-only')
}
