import { io, type Socket } from 'socket.io-client'
import { ref } from 'vue'

/*
| One Socket.IO connection per tab, authenticated by the session cookie. Components subscribe
| to event names; `connected` drives the live indicator in the header.
*/
let socket: Socket | null = null
export const connected = ref(false)

export function realtime() {
  if (!socket) {
    socket = io({ path: '/socket.io', transports: ['websocket', 'polling'], withCredentials: true })
    socket.on('connect', () => (connected.value = true))
    socket.on('disconnect', () => (connected.value = false))
  }
  return socket
}

export function disconnectRealtime() {
  socket?.disconnect()
  socket = null
  connected.value = false
}
