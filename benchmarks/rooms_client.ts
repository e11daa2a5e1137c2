/*
| Load for the rooms benchmark, in its own process (run.ts forks two): holds sockets in rooms of
| ten and, on command, makes one socket per room send messages, timing every delivery. Speaks
| Tandem's /rooms protocol (socket.io-client) or the baseline's bare `ws` one.
|
| IPC in:  {type:'connect', mode:'tandem'|'ws', url, token, rooms:[roomId per socket]}
|          {type:'run', seconds, senderRooms:[roomId…], thinkMs}
|          {type:'close'}
| IPC out: {type:'progress', connected} · {type:'connected', connected, failed, ms}
|          {type:'result', sent, delivered, errors, seconds, samples:[latency ms…]}
*/
import { io, type Socket } from 'socket.io-client'
import WebSocket from 'ws'

type Peer = {
  room: number
  send: (body: string) => Promise<boolean>
  close: () => void
}

const now = () => performance.timeOrigin + performance.now()
let onDelivery: (body: string) => void = () => {}

function tandemPeer(url: string, token: string, room: number): Promise<Peer> {
  return new Promise((resolve, reject) => {
    const socket: Socket = io(`${url}/rooms`, {
      transports: ['websocket'],
      auth: { token },
      reconnection: false,
      forceNew: true,
    })
    socket.once('connect_error', reject)
    socket.once('connect', async () => {
      const joined = await socket
        .timeout(30_000)
        .emitWithAck('room:join', { roomId: room })
        .catch(() => null)
      if (!joined?.ok) return reject(new Error(`join failed: ${JSON.stringify(joined?.error)}`))
      socket.on('message:new', (message: { body: string }) => onDelivery(message.body))
      resolve({
        room,
        send: (body) =>
          socket
            .timeout(30_000)
            .emitWithAck('message:send', { roomId: room, body })
            .then((reply: any) => reply.ok === true)
            .catch(() => false),
        close: () => socket.disconnect(),
      })
    })
  })
}

function wsPeer(url: string, room: number): Promise<Peer> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url.replace('http', 'ws'))
    const acks: Array<(ok: boolean) => void> = []
    socket.once('error', reject)
    socket.once('open', () => socket.send(JSON.stringify({ type: 'join', room })))
    socket.on('message', (raw) => {
      const message = JSON.parse(String(raw))
      if (message.type === 'joined')
        resolve({
          room,
          send: (body) =>
            new Promise((done) => {
              acks.push(done)
              socket.send(JSON.stringify({ type: 'send', room, body }))
            }),
          close: () => socket.close(),
        })
      else if (message.type === 'message') onDelivery(message.body)
      else if (message.type === 'ack') acks.shift()?.(true)
    })
  })
}

let peers: Peer[] = []

async function connectAll(message: any) {
  const started = Date.now()
  let failed = 0
  const queue = [...(message.rooms as number[])]
  const report = setInterval(
    () => process.send!({ type: 'progress', connected: peers.length }),
    1000
  )
  const worker = async () => {
    for (let room = queue.shift(); room !== undefined; room = queue.shift()) {
      try {
        peers.push(
          message.mode === 'tandem'
            ? await tandemPeer(message.url, message.token, room)
            : await wsPeer(message.url, room)
        )
      } catch {
        failed++
      }
    }
  }
  await Promise.all(Array.from({ length: 25 }, worker))
  clearInterval(report)
  process.send!({ type: 'connected', connected: peers.length, failed, ms: Date.now() - started })
}

/* Keeps up to 100,000 latencies, evenly thinned (reservoir sampling). */
function reservoir(size = 100_000) {
  const samples: number[] = []
  let seen = 0
  return {
    samples,
    add(value: number) {
      seen++
      if (samples.length < size) samples.push(value)
      else {
        const at = Math.floor(Math.random() * seen)
        if (at < size) samples[at] = value
      }
    },
  }
}

async function run(message: any) {
  const latencies = reservoir()
  let delivered = 0
  let sent = 0
  let errors = 0
  let measuring = true
  onDelivery = (body) => {
    if (!measuring) return
    const t = Number(body.slice(2))
    if (!Number.isFinite(t)) return
    delivered++
    latencies.add(now() - t)
  }
  const started = now()
  const stopAt = started + message.seconds * 1000
  const senders = (message.senderRooms as number[])
    .map((room) => peers.find((peer) => peer.room === room))
    .filter((peer): peer is Peer => Boolean(peer))
  await Promise.all(
    senders.map(async (peer) => {
      while (now() < stopAt) {
        const ok = await peer.send(`t=${now()}`)
        if (ok) sent++
        else errors++
        if (message.thinkMs) await new Promise((resolve) => setTimeout(resolve, message.thinkMs))
      }
    })
  )
  const seconds = (now() - started) / 1000
  /* Deliveries of the last messages still in flight count, the window closes a moment later. */
  await new Promise((resolve) => setTimeout(resolve, 300))
  measuring = false
  process.send!({ type: 'result', sent, delivered, errors, seconds, samples: latencies.samples })
}

process.on('message', (message: any) => {
  if (message.type === 'connect') connectAll(message)
  else if (message.type === 'run') run(message)
  else if (message.type === 'close') {
    for (const peer of peers) peer.close()
    peers = []
    setTimeout(() => process.exit(0), 200)
  }
})
