import { io, type Socket } from 'socket.io-client'
import { reactive, ref } from 'vue'

/*
| The room page's connection to the `/rooms` namespace: joins, chat, presence, the shared
| timer (counted down against the server's clock) and call signaling. After a reconnect that
| Socket.IO could not recover, it joins again with the last message id it saw and gets the rest.
*/
export type Room = {
  id: number
  companyId: number
  name: string
  topic: string | null
  visibility: 'public' | 'invite_only'
  archived: boolean
  joined: boolean
  memberCount: number
  canManage: boolean
  createdBy: number | null
}
export type Message = {
  id: number
  roomId: number
  userId: number | null
  author: string
  body: string
  createdAt: string
  editedAt: string | null
  deleted: boolean
  attachments: Array<{ id: number; name: string; size: number; mime: string }>
}
export type Member = { userId: number; name: string; connections: number }
export type CallPeer = {
  socketId: string
  userId: number
  name: string
  audio: boolean
  video: boolean
}
export type Timer = {
  status: 'idle' | 'running' | 'paused'
  phase: 'focus' | 'break'
  cycle: number
  focusSeconds: number
  breakSeconds: number
  remainingMs: number
  anchorAt: number | null
  elapsedMs: number
}
type Ack = { ok: boolean; error?: { code: string; message: string }; [key: string]: any }

/** Same arithmetic as the server (modules/rooms/services/timer_state.ts). */
export function timerPosition(timer: Timer, serverNow: number) {
  const focusMs = timer.focusSeconds * 1000
  const cycleMs = focusMs + timer.breakSeconds * 1000
  const elapsed =
    timer.status === 'running' && timer.anchorAt !== null
      ? Math.max(0, serverNow - timer.anchorAt)
      : timer.elapsedMs
  const inCycle = elapsed % cycleMs
  const phase: 'focus' | 'break' = inCycle < focusMs ? 'focus' : 'break'
  return {
    phase,
    cycle: Math.floor(elapsed / cycleMs) + 1,
    remainingMs: (phase === 'focus' ? focusMs : cycleMs) - inCycle,
  }
}

export class RoomConnection {
  socket: Socket
  state = reactive({
    connected: false,
    joined: false,
    room: null as Room | null,
    messages: [] as Message[],
    hasMore: false,
    members: [] as Member[],
    call: [] as CallPeer[],
    timer: null as Timer | null,
    error: '' as string,
  })
  /** Estimated server clock minus ours, and the round trip it was measured with. */
  offsetMs = ref(0)
  rttMs = ref(0)
  onSignal: (signal: { from: string; data: any }) => void = () => {}
  #presenceSeen = 0
  #timerSeen = 0

  constructor(private roomId: number) {
    this.socket = io('/rooms', {
      path: '/socket.io',
      transports: ['websocket', 'polling'],
      withCredentials: true,
    })
    this.socket.on('connect', () => {
      this.state.connected = true
      this.syncClock()
      if (!this.socket.recovered) this.join()
    })
    this.socket.on('disconnect', () => (this.state.connected = false))
    this.socket.on('message:new', (message: Message) => this.#upsert(message))
    this.socket.on('message:update', (message: Message) => this.#upsert(message))
    this.socket.on(
      'presence:update',
      (presence: { roomId: number; members: Member[]; call: CallPeer[] }) => {
        if (presence.roomId !== this.roomId) return
        this.#presenceSeen++
        this.state.members = presence.members
        this.state.call = presence.call
      }
    )
    this.socket.on('timer:update', (timer: Timer & { roomId: number }) => {
      if (timer.roomId !== this.roomId) return
      this.#timerSeen++
      this.state.timer = timer
    })
    this.socket.on('room:update', (room: Room) => {
      if (room.id === this.roomId) this.state.room = { ...this.state.room, ...room }
    })
    this.socket.on('room:removed', ({ roomId }: { roomId: number }) => {
      if (roomId !== this.roomId) return
      this.state.joined = false
      this.state.error = 'You are no longer in this room.'
    })
    this.socket.on('signal', (signal: { roomId: number; from: string; data: any }) => {
      if (signal.roomId === this.roomId) this.onSignal(signal)
    })
  }

  serverNow() {
    return Date.now() + this.offsetMs.value
  }

  /* NTP-style: several round trips, keep the one with the shortest delay (least skewed). */
  async syncClock(samples = 5) {
    let best: { rtt: number; offset: number } | null = null
    for (let i = 0; i < samples; i++) {
      const sent = Date.now()
      const reply = (await this.socket
        .timeout(5000)
        .emitWithAck('time:sync', {})
        .catch(() => null)) as Ack | null
      const received = Date.now()
      if (!reply?.ok) continue
      const rtt = received - sent
      const offset = reply.serverNow - (sent + received) / 2
      if (!best || rtt < best.rtt) best = { rtt, offset }
    }
    if (best) {
      this.offsetMs.value = best.offset
      this.rttMs.value = best.rtt
    }
  }

  /*
  | The answer is a snapshot taken while joining; an update that arrived meanwhile is newer (someone
  | joined a moment later), so the snapshot never overwrites it.
  */
  async join() {
    const last = this.state.messages.at(-1)?.id
    const [presenceBefore, timerBefore] = [this.#presenceSeen, this.#timerSeen]
    const reply = await this.emit('room:join', {
      roomId: this.roomId,
      ...(last ? { lastMessageId: last } : {}),
    })
    if (!reply.ok) return
    this.state.joined = true
    this.state.room = reply.room
    if (this.#presenceSeen === presenceBefore) {
      this.state.members = reply.members
      this.state.call = reply.call
    }
    if (this.#timerSeen === timerBefore) this.state.timer = reply.timer
    if (!last) this.state.hasMore = reply.hasMore
    for (const message of reply.messages as Message[]) this.#upsert(message)
  }

  async emit(event: string, payload: Record<string, unknown>): Promise<Ack> {
    const reply = (await this.socket
      .timeout(10_000)
      .emitWithAck(event, payload)
      .catch(() => ({
        ok: false,
        error: { code: 'E_TIMEOUT', message: 'No answer from the server' },
      }))) as Ack
    this.state.error = reply.ok ? '' : (reply.error?.message ?? 'Failed')
    return reply
  }

  send(body: string, attachments: number[] = []) {
    return this.emit('message:send', { roomId: this.roomId, body, attachments })
  }

  timer(
    action: 'start' | 'pause' | 'resume' | 'reset' | 'configure',
    extra: Record<string, unknown> = {}
  ) {
    return this.emit(`timer:${action}`, { roomId: this.roomId, ...extra })
  }

  close() {
    this.socket.disconnect()
  }

  /* Messages stay ordered by id, whatever order they arrive in (live, replayed, edited). */
  #upsert(message: Message) {
    if (message.roomId !== this.roomId) return
    const list = this.state.messages
    const at = list.findIndex((m) => m.id === message.id)
    if (at >= 0) list.splice(at, 1, message)
    else {
      let index = list.length
      while (index > 0 && list[index - 1].id > message.id) index--
      list.splice(index, 0, message)
    }
  }
}
