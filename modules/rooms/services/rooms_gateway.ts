import type { Namespace, Socket } from 'socket.io'
import type { ApplicationService } from '@adonisjs/core/types'
import db from '@adonisjs/lucid/services/db'
import { ApiError } from '#app/exceptions/api_error'
import { ensureOpen, RoomsService, type Actor } from '#rooms/services/rooms_service'
import { RoomMembersService } from '#rooms/services/room_members_service'
import { MessagesService } from '#rooms/services/messages_service'
import { TimerService } from '#rooms/services/timer_service'
import { RoomsBroadcast, roomKey, type RoomSocketData } from '#rooms/services/rooms_broadcast'
import { RoomsSettings } from '#rooms/services/rooms_settings'
import { authorName } from '#rooms/services/presenters'
import { idFrom, toSocketError, type Ack } from '#rooms/services/socket_errors'
import { timerAction } from '#rooms/services/timer_payloads'
import { CallSignals } from '#rooms/services/call_signals'
import { IceServers } from '#rooms/services/ice_servers'

/*
| The `/rooms` Socket.IO namespace (protocol in docs/api.md, Rooms). Every event is checked
| against the database like an HTTP request — company membership, room access, archived — and
| answers through its acknowledgement: `{ ok: true, … }` or `{ ok: false, error }`.
*/
type Services = Awaited<ReturnType<RoomsGateway['resolve']>>

export class RoomsGateway {
  #services = new WeakMap<Socket, Services>()

  constructor(private app: ApplicationService) {}

  /* Per connection, so services swapped in the container (tests) apply to new connections. */
  async resolve() {
    const resolver = this.app.container.createResolver()
    const [rooms, members, messages, timer, broadcast, settings, ice] = await Promise.all([
      resolver.make(RoomsService),
      resolver.make(RoomMembersService),
      resolver.make(MessagesService),
      resolver.make(TimerService),
      resolver.make(RoomsBroadcast),
      resolver.make(RoomsSettings),
      resolver.make(IceServers),
    ])
    return { rooms, members, messages, timer, broadcast, settings, ice }
  }

  attach(namespace: Namespace) {
    namespace.use((socket, next) => {
      this.#admit(socket)
        .then(() => next())
        .catch((error) => {
          const refused = refusal(error)
          /* A database outage is logged like other failed events; refusals are not. */
          if ((refused.data as { code: string }).code.startsWith('E_DATABASE_'))
            this.#log(error, 'connection')
          next(refused)
        })
    })
    namespace.on('connection', (socket) => this.#connected(socket))
  }

  /* Tokens need `rooms:join`; every connection learns its user's display name once. */
  async #admit(socket: Socket) {
    const abilities: string[] = socket.data.abilities ?? []
    if (!abilities.includes('*') && !abilities.includes('rooms:join'))
      throw ApiError.forbidden('This token may not join rooms (it needs rooms:join)')
    const user = await db
      .from('users')
      .where('id', socket.data.userId)
      .select('full_name', 'email')
      .first()
    socket.data.name = authorName(user ?? {})
    this.#services.set(socket, await this.resolve())
  }

  /* Synchronous: every handler is in place before the client's first event can arrive. */
  #connected(socket: Socket) {
    const { rooms, members, messages, timer, broadcast, settings, ice } =
      this.#services.get(socket)!
    const signals = new CallSignals(broadcast)
    const data = socket.data as RoomSocketData & { companyId?: number }

    /* The actor for the room's company; a token acts only for the company it was issued for. */
    const actorFor = async (roomId: number): Promise<{ actor: Actor; roomId: number }> => {
      const room = await db.from('rooms').where('id', roomId).select('company_id').first()
      const companyId = room ? Number(room.company_id) : null
      const allowed =
        companyId !== null && (data.companyId === undefined || data.companyId === companyId)
      const actor = allowed ? await rooms.actor(companyId!, data.userId) : null
      if (!actor) throw ApiError.notFound('Room not found')
      return { actor, roomId }
    }
    const on = (event: string, handler: (payload: any) => Promise<Record<string, unknown>>) => {
      socket.on(event, async (payload: unknown, ack?: Ack) => {
        const reply = typeof ack === 'function' ? ack : () => {}
        try {
          reply({ ok: true, ...(await handler(payload ?? {})) })
        } catch (error) {
          const known = toSocketError(error)
          /* Unknown errors, and database outages (answered E_DATABASE_*), reach the log. */
          if (!known || known.code.startsWith('E_DATABASE_')) this.#log(error, event)
          reply({
            ok: false,
            error: known ?? { code: 'E_INTERNAL_SERVER_ERROR', message: 'Something went wrong' },
          })
        }
      })
    }

    on('room:join', async (payload) => {
      const { actor, roomId } = await actorFor(idFrom(payload, 'roomId'))
      const room = await members.join(actor, roomId)
      await socket.join(roomKey(roomId))
      const after = payload.lastMessageId === undefined ? null : idFrom(payload, 'lastMessageId')
      const history =
        after === null ? await messages.latest(roomId) : await messages.since(roomId, after)
      const presence = await broadcast.presence(roomId)
      return {
        room: await rooms.show(actor, room.id),
        members: presence?.members ?? [],
        call: presence?.call ?? [],
        timer: await timer.view(roomId),
        ...history,
      }
    })
    on('room:leave', async (payload) => {
      const roomId = idFrom(payload, 'roomId')
      if (data.calls) delete data.calls[String(roomId)]
      await socket.leave(roomKey(roomId))
      await broadcast.presence(roomId)
      return {}
    })
    on('message:send', async (payload) => {
      const roomId = idFrom(payload, 'roomId')
      if (socket.rooms.has(roomKey(roomId)))
        return {
          message: await messages.postInRoom(
            roomId,
            data.userId,
            payload.body,
            payload.attachments
          ),
        }
      const { actor } = await actorFor(roomId)
      return { message: await messages.post(actor, roomId, payload.body, payload.attachments) }
    })
    on('message:history', async (payload) => {
      const { actor, roomId } = await actorFor(idFrom(payload, 'roomId'))
      const before = idFrom(payload, 'before')
      const cursor = Buffer.from(String(before)).toString('base64url')
      return messages.history(actor, roomId, { cursor, limit: 50 })
    })
    on('message:edit', async (payload) => {
      const { actor, roomId } = await actorFor(idFrom(payload, 'roomId'))
      return {
        message: await messages.edit(actor, roomId, idFrom(payload, 'messageId'), payload.body),
      }
    })
    on('message:delete', async (payload) => {
      const { actor, roomId } = await actorFor(idFrom(payload, 'roomId'))
      return { message: await messages.remove(actor, roomId, idFrom(payload, 'messageId')) }
    })
    for (const type of ['start', 'pause', 'resume', 'reset', 'configure'] as const) {
      on(`timer:${type}`, async (payload) => {
        const { actor, roomId } = await actorFor(idFrom(payload, 'roomId'))
        const access = await this.#member(rooms, actor, roomId)
        ensureOpen(access.room)
        return { timer: await timer.apply(roomId, actor.userId, timerAction(type, payload)) }
      })
    }
    on('time:sync', async () => ({ serverNow: settings.now() }))
    /* Fresh TURN credentials with every call: a page may have been open longer than they live. */
    on('call:join', async (payload) => ({
      call: await signals.join(socket, this.#inRoom(socket, payload), payload),
      ...ice.for(data.userId),
    }))
    on('call:update', async (payload) => ({
      call: await signals.update(socket, this.#inRoom(socket, payload), payload),
    }))
    on('call:leave', async (payload) => {
      await signals.leave(socket, idFrom(payload, 'roomId'))
      return {}
    })
    on('signal', async (payload) => {
      await signals.relay(socket, this.#inRoom(socket, payload), payload)
      return {}
    })

    /* A recovered socket is back in its rooms: tell them, since its drop was announced. */
    if (socket.recovered)
      for (const room of socket.rooms)
        if (room.startsWith('room:'))
          broadcast.presence(Number(room.slice(5))).catch((error) => this.#log(error, 'presence'))

    socket.on('disconnecting', () => {
      const left = [...socket.rooms].filter((room) => room.startsWith('room:'))
      socket.once('disconnect', () => {
        for (const room of left)
          broadcast.presence(Number(room.slice(5))).catch((error) => this.#log(error, 'presence'))
      })
    })
  }

  async #member(rooms: RoomsService, actor: Actor, roomId: number) {
    const access = await rooms.access(actor, roomId)
    if (!access.isMember) throw ApiError.forbidden('Join the room first', 'E_NOT_A_ROOM_MEMBER')
    return access
  }

  /* Calls and signals are for sockets that joined the room (room:join checked their access). */
  #inRoom(socket: Socket, payload: unknown) {
    const roomId = idFrom(payload, 'roomId')
    if (!socket.rooms.has(roomKey(roomId)))
      throw ApiError.forbidden('Join the room first', 'E_NOT_IN_ROOM')
    return roomId
  }

  #log(error: unknown, event: string) {
    this.app.container
      .make('logger')
      .then((logger) => logger.error({ err: error, event }, 'rooms event failed'))
  }
}

function refusal(error: unknown) {
  const known = toSocketError(error) ?? { code: 'E_UNAUTHORIZED_ACCESS', message: 'Not allowed' }
  const refused = new Error(known.message) as Error & { data: unknown }
  refused.data = known
  return refused
}
