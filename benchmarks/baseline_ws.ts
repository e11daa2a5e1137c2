/*
| The rooms benchmark's baseline: a bare `ws` server doing the same fan-out as Tandem's /rooms
| namespace, without Socket.IO, authentication or a database. A client joins a room
| (`{"type":"join","room":1}` → `{"type":"joined"}`); a message sent to it
| (`{"type":"send","room":1,"body":"…"}`) is written once and sent to every socket in the room,
| then acknowledged to the sender (`{"type":"ack"}`). GET / answers 200 (readiness).
*/
import { createServer } from 'node:http'
import { WebSocketServer, type WebSocket } from 'ws'

const rooms = new Map<number, Set<WebSocket>>()
const server = createServer((_request, response) => response.end('ok'))
const wss = new WebSocketServer({ server })
let nextId = 1

wss.on('connection', (socket) => {
  const joined = new Set<number>()
  socket.on('message', (raw) => {
    const message = JSON.parse(String(raw))
    if (message.type === 'join') {
      const members = rooms.get(message.room) ?? new Set()
      rooms.set(message.room, members.add(socket))
      joined.add(message.room)
      socket.send('{"type":"joined"}')
    } else if (message.type === 'send') {
      const frame = JSON.stringify({
        type: 'message',
        id: nextId++,
        room: message.room,
        body: message.body,
      })
      for (const member of rooms.get(message.room) ?? []) member.send(frame)
      socket.send('{"type":"ack"}')
    }
  })
  socket.on('close', () => {
    for (const room of joined) rooms.get(room)?.delete(socket)
  })
})

server.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1')
process.on('SIGTERM', () => {
  for (const socket of wss.clients) socket.terminate()
  server.close(() => process.exit(0))
})
