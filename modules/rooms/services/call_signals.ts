import type { Socket } from 'socket.io'
import { ApiError } from '#app/exceptions/api_error'
import { type RoomsBroadcast, roomKey, type RoomSocketData } from '#rooms/services/rooms_broadcast'
import { invalid } from '#rooms/services/socket_errors'

/* SDP offers run to a few kilobytes; anything far bigger is not signaling. */
export const MAX_SIGNAL_BYTES = 64 * 1024

/*
| WebRTC mesh calls. Who is in a room's call lives on the sockets (`data.calls`), so every node
| sees it through fetchSockets. The newcomer calls everyone already there (it sends the offers),
| which keeps two peers from offering to each other at once. Signals are relayed only to a
| socket that is in the same room, whichever node holds it.
*/
export class CallSignals {
  constructor(private broadcast: RoomsBroadcast) {}

  async join(socket: Socket, roomId: number, payload: Record<string, unknown>) {
    const data = socket.data as RoomSocketData
    data.calls = { ...data.calls, [String(roomId)]: media(payload) }
    const presence = await this.broadcast.presence(roomId)
    return (presence?.call ?? []).filter((peer) => peer.socketId !== socket.id)
  }

  async update(socket: Socket, roomId: number, payload: Record<string, unknown>) {
    const data = socket.data as RoomSocketData
    if (!data.calls?.[String(roomId)])
      throw ApiError.conflict('E_NOT_IN_CALL', 'Join the call first')
    data.calls[String(roomId)] = media(payload)
    const presence = await this.broadcast.presence(roomId)
    return presence?.call ?? []
  }

  async leave(socket: Socket, roomId: number) {
    const data = socket.data as RoomSocketData
    if (!data.calls?.[String(roomId)]) return
    delete data.calls[String(roomId)]
    await this.broadcast.presence(roomId)
  }

  async relay(socket: Socket, roomId: number, payload: Record<string, unknown>) {
    const to = payload.to
    if (typeof to !== 'string' || !to) throw invalid('to must be a socket id', 'to')
    const size = Buffer.byteLength(JSON.stringify(payload.data ?? null))
    if (size > MAX_SIGNAL_BYTES)
      throw new ApiError('E_SIGNAL_TOO_LARGE', `A signal holds at most ${MAX_SIGNAL_BYTES} bytes`, {
        status: 413,
        field: 'data',
      })
    const peers = await socket.nsp.in(roomKey(roomId)).fetchSockets()
    if (!peers.some((peer) => peer.id === to))
      throw ApiError.notFound('That peer is not in this room')
    socket.nsp.to(to).emit('signal', {
      roomId,
      from: socket.id,
      fromUserId: (socket.data as RoomSocketData).userId,
      data: payload.data,
    })
  }
}

function media(payload: Record<string, unknown>) {
  return { audio: payload.audio !== false, video: payload.video !== false }
}
