import { inject } from '@adonisjs/core'
import { Realtime, userRoom } from '#app/realtime/realtime'
import type { MessageView, RoomView } from '#rooms/services/presenters'
import type { TimerView } from '#rooms/services/timer_state'

/* The Socket.IO namespace of rooms, and the Socket.IO room one chat room maps to. */
export const ROOMS_NAMESPACE = '/rooms'
export const roomKey = (roomId: number | string) => `room:${roomId}`

export type PresenceMember = { userId: number; name: string; connections: number }
export type CallPeer = {
  socketId: string
  userId: number
  name: string
  audio: boolean
  video: boolean
}
export type Presence = { roomId: number; members: PresenceMember[]; call: CallPeer[] }

/* The sockets' view of a connection, as stored on `socket.data` (and visible from every node). */
export type RoomSocketData = {
  userId: number
  name: string
  calls?: Record<string, { audio: boolean; video: boolean }>
}

/*
| Everything the rooms module pushes, in one place: to a room's sockets on every app process
| (through the Redis adapter), or through the Redis emitter from processes without a server.
*/
@inject()
export class RoomsBroadcast {
  constructor(private realtime: Realtime) {}

  #to(roomId: number) {
    return this.realtime.of(ROOMS_NAMESPACE).to(roomKey(roomId))
  }

  message(message: MessageView) {
    this.#to(message.roomId).emit('message:new', message)
  }

  messageChanged(message: MessageView) {
    this.#to(message.roomId).emit('message:update', message)
  }

  timer(view: TimerView) {
    this.#to(view.roomId).emit('timer:update', view)
  }

  /* Without `joined` and `canManage`: those belong to whoever made the change, not to each listener. */
  roomUpdated(room: RoomView) {
    const shared: Partial<RoomView> = { ...room }
    delete shared.joined
    delete shared.canManage
    this.#to(room.id).emit('room:update', shared)
  }

  /** Takes a user's sockets out of a room on every node (they left it or lost access). */
  async evict(roomIds: number[], userId: number) {
    if (!roomIds.length) return
    const namespace = this.realtime.of(ROOMS_NAMESPACE)
    namespace.in(userRoom(userId)).socketsLeave(roomIds.map(roomKey))
    for (const roomId of roomIds) namespace.to(userRoom(userId)).emit('room:removed', { roomId })
    for (const roomId of roomIds) await this.presence(roomId)
  }

  /** Recomputes who is in the room from the live sockets of every node and tells the room. */
  async presence(roomId: number) {
    const presence = await this.presenceOf(roomId)
    if (presence) this.#to(roomId).emit('presence:update', presence)
    return presence
  }

  async presenceOf(roomId: number): Promise<Presence | null> {
    const namespace = this.realtime.io?.of(ROOMS_NAMESPACE)
    if (!namespace) return null
    const sockets = await namespace.in(roomKey(roomId)).fetchSockets()
    const members = new Map<number, PresenceMember>()
    const call: CallPeer[] = []
    for (const socket of sockets) {
      const data = socket.data as RoomSocketData
      const member = members.get(data.userId)
      if (member) member.connections += 1
      else members.set(data.userId, { userId: data.userId, name: data.name, connections: 1 })
      const media = data.calls?.[String(roomId)]
      if (media) call.push({ socketId: socket.id, userId: data.userId, name: data.name, ...media })
    }
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name)
    return { roomId, members: [...members.values()].sort(byName), call: call.sort(byName) }
  }
}
