import { io, type Socket } from 'socket.io-client'
import type { Group } from '@japa/runner/core'

/* Socket.IO clients for tests: connect, then wait for named events with a timeout. */
export function connect(
  url: string,
  options: { token?: string; cookie?: string; origin?: string } = {}
) {
  return io(url, {
    path: '/socket.io',
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    auth: options.token ? { token: options.token } : {},
    extraHeaders: {
      ...(options.cookie ? { cookie: options.cookie } : {}),
      ...(options.origin ? { origin: options.origin } : {}),
    },
  })
}

export function connected(socket: Socket) {
  return new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve())
    socket.once('connect_error', (error) => reject(error))
  })
}

export function refused(socket: Socket) {
  return new Promise<Error & { data?: any }>((resolve, reject) => {
    socket.once('connect', () => reject(new Error('connected, but it should have been refused')))
    socket.once('connect_error', (error) => resolve(error))
  })
}

export function nextEvent<T = any>(socket: Socket, event: string, timeout = 3000) {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${event}" within ${timeout} ms`)), timeout)
    socket.once(event, (payload: T) => {
      clearTimeout(timer)
      resolve(payload)
    })
  })
}

/* Resolves true when the event did NOT arrive within the window. */
export function silence(socket: Socket, event: string, window = 400) {
  return new Promise<boolean>((resolve) => {
    const listener = () => resolve(false)
    socket.once(event, listener)
    setTimeout(() => {
      socket.off(event, listener)
      resolve(true)
    }, window)
  })
}

/* The in-process test server's address (functional and browser suites). */
export const testServerUrl = () => `http://${process.env.HOST}:${process.env.PORT}`

/*
| Opens sockets to the test server and disconnects them after each test of the group, so a
| failing assertion never leaves a connection behind.
*/
export function socketsFor(group: Group) {
  const sockets: Socket[] = []
  group.each.teardown(() => {
    sockets.splice(0).forEach((socket) => socket.disconnect())
  })
  return (options: Parameters<typeof connect>[1]) => {
    const socket = connect(testServerUrl(), options)
    sockets.push(socket)
    return socket
  }
}
