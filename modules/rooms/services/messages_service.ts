import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import limiter from '@adonisjs/limiter/services/main'
import { ApiError } from '#app/exceptions/api_error'
import { isDbId } from '#app/helpers/ids'
import { paginateByCursor } from '#app/helpers/cursor'
import { RoomsSettings } from '#rooms/services/rooms_settings'
import { RoomsBroadcast } from '#rooms/services/rooms_broadcast'
import { ensureOpen, RoomsService, type Access, type Actor } from '#rooms/services/rooms_service'
import { presentMessage, type MessageRow, type RoomRow } from '#rooms/services/presenters'
import { attachmentsOf, resolveAttachments, saveAttachments } from '#rooms/services/attachments'

/*
| Chat: messages are committed before anyone is told, then pushed to the room on every node;
| history is read by id (stable cursors), and a client that was away replays everything after
| the last id it saw.
*/
@inject()
export class MessagesService {
  constructor(
    private settings: RoomsSettings,
    private rooms: RoomsService,
    private broadcast: RoomsBroadcast
  ) {}

  async post(actor: Actor, roomId: unknown, body: unknown, attachments?: unknown) {
    const access = await this.#writable(actor, roomId)
    return this.#store(access.room, actor.userId, body, attachments)
  }

  /*
  | For a socket already in the room: its access was checked when it joined, and whatever takes
  | access away (leaving, removal, leaving the company, a revoked token) also takes the socket
  | out of the room. Only the archived flag can change under it, so only that is read again.
  */
  async postInRoom(roomId: number, userId: number, body: unknown, attachments?: unknown) {
    const room: RoomRow | null = await db.from('rooms').where('id', roomId).first()
    if (!room) throw ApiError.notFound('Room not found')
    ensureOpen(room)
    return this.#store(room, userId, body, attachments)
  }

  /* A message is text, files, or both: with attachments the text may be empty. */
  async #store(room: RoomRow, userId: number, body: unknown, attachments?: unknown) {
    const files = await resolveAttachments(room.company_id, attachments)
    const text =
      files.length && (body === undefined || body === null || body === '')
        ? ''
        : this.#validBody(body)
    await limiter
      .use({ requests: this.settings.messagesPer10s, duration: '10 sec' })
      .consume(`rooms:messages:${userId}`)
    const id = await db.transaction(async (trx) => {
      const [inserted] = await trx
        .table('room_messages')
        .insert({ room_id: room.id, user_id: userId, body: text, created_at: this.settings.now() })
        .returning('id')
      const messageId = Number(typeof inserted === 'object' ? inserted.id : inserted)
      await saveAttachments(trx, messageId, files)
      return messageId
    })
    const message = await this.find(id)
    this.broadcast.message(message)
    return message
  }

  async edit(actor: Actor, roomId: unknown, messageId: unknown, body: unknown) {
    const row = await this.#own(actor, roomId, messageId)
    const text = this.#validBody(body)
    await db
      .from('room_messages')
      .where('id', row.id)
      .update({ body: text, edited_at: this.settings.now() })
    const message = await this.find(Number(row.id))
    this.broadcast.messageChanged(message)
    return message
  }

  /* Soft delete: the message keeps its place in the history (and in clients' replay) as "deleted". */
  async remove(actor: Actor, roomId: unknown, messageId: unknown) {
    const row = await this.#own(actor, roomId, messageId)
    await db
      .from('room_messages')
      .where('id', row.id)
      .update({ body: '', deleted_at: this.settings.now() })
    const message = await this.find(Number(row.id))
    this.broadcast.messageChanged(message)
    return message
  }

  /** Newest first, `cursor` pages towards older messages. */
  async history(actor: Actor, roomId: unknown, options: { cursor?: string; limit?: number }) {
    const { room } = await this.#readable(actor, roomId)
    const page = await paginateByCursor(this.#query().where('m.room_id', room.id), {
      limit: options.limit ?? 50,
      cursor: options.cursor,
      newestFirst: true,
      column: 'm.id',
    })
    return { data: await this.#present(page.rows as MessageRow[]), nextCursor: page.nextCursor }
  }

  /** What a member missed after `afterId`, oldest first (the HTTP catch-up). */
  async after(actor: Actor, roomId: unknown, afterId: number, limit?: number) {
    const { room } = await this.#readable(actor, roomId)
    return this.since(room.id, afterId, limit)
  }

  /** Oldest first: what a client missed after `afterId` (at most `replayLimit`, then `hasMore`). */
  async since(roomId: number, afterId: number, limit = this.settings.replayLimit) {
    const rows: MessageRow[] = await this.#query()
      .where('m.room_id', roomId)
      .where('m.id', '>', afterId)
      .orderBy('m.id', 'asc')
      .limit(limit + 1)
    return { messages: await this.#present(rows.slice(0, limit)), hasMore: rows.length > limit }
  }

  /** The latest `limit` messages, oldest first (what a room shows on open). */
  async latest(roomId: number, limit = this.settings.historyOnJoin) {
    const rows: MessageRow[] = await this.#query()
      .where('m.room_id', roomId)
      .orderBy('m.id', 'desc')
      .limit(limit + 1)
    return {
      messages: await this.#present(rows.slice(0, limit).reverse()),
      hasMore: rows.length > limit,
    }
  }

  async find(messageId: number) {
    const row: MessageRow = await this.#query().where('m.id', messageId).firstOrFail()
    const [message] = await this.#present([row])
    return message
  }

  async #present(rows: MessageRow[]) {
    const attachments = await attachmentsOf(
      rows.filter((row) => row.deleted_at === null).map((row) => row.id)
    )
    return rows.map((row) => presentMessage(row, attachments.get(Number(row.id)) ?? []))
  }

  #query() {
    return db
      .from('room_messages as m')
      .leftJoin('users as u', 'u.id', 'm.user_id')
      .select('m.*', 'u.full_name', 'u.email')
  }

  #validBody(body: unknown) {
    const text = typeof body === 'string' ? body.trim() : ''
    if (!text) throw ApiError.invalid('E_MESSAGE_EMPTY', 'A message needs some text', 'body')
    if (text.length > this.settings.messageMaxLength)
      throw new ApiError(
        'E_MESSAGE_TOO_LONG',
        `A message holds at most ${this.settings.messageMaxLength} characters`,
        { status: 413, field: 'body' }
      )
    return text
  }

  /* Reading a room's history needs membership for invite-only rooms (access) or any room (join). */
  async #readable(actor: Actor, roomId: unknown): Promise<Access> {
    const access = await this.rooms.access(actor, roomId)
    if (!access.isMember) throw ApiError.forbidden('Join the room first', 'E_NOT_A_ROOM_MEMBER')
    return access
  }

  async #writable(actor: Actor, roomId: unknown) {
    const access = await this.#readable(actor, roomId)
    ensureOpen(access.room)
    return access
  }

  async #own(actor: Actor, roomId: unknown, messageId: unknown) {
    const { room } = await this.#writable(actor, roomId)
    const row: MessageRow | null = isDbId(Number(messageId))
      ? await db
          .from('room_messages')
          .where({ id: Number(messageId), room_id: room.id })
          .first()
      : null
    if (!row || row.deleted_at !== null) throw ApiError.notFound('Message not found')
    if (row.user_id !== actor.userId)
      throw ApiError.forbidden('You can only change your own messages', 'E_NOT_MESSAGE_AUTHOR')
    return row
  }
}
