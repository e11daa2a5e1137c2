import type { Server as HttpServer, IncomingMessage } from 'node:http'
import { Server as IOServer, type Namespace, type Socket } from 'socket.io'
import { createAdapter } from '@socket.io/redis-adapter'
import { Emitter } from '@socket.io/redis-emitter'
import { redisEnabled } from '#config/redis'
import env from '#start/env'
import type { ApplicationService } from '@adonisjs/core/types'
import type { Redis } from 'ioredis'
import { databaseUnavailable } from '#app/exceptions/database_errors'

/*
| The realtime channel: one Socket.IO server on the app's HTTP server. Every connection is
| authenticated (the accounts module supplies the authenticator) and joins the rooms it returns,
| at least `user:<id>` and `company:<id>`, so any module can push to a user or a company.
| With Redis configured, the Redis adapter makes several web processes act as one.
*/
export type RealtimeIdentity = {
  userId: number
  companyIds: number[]
  /** More rooms to join, e.g. one per credential so it can be cut off by name. */
  rooms?: string[]
  /** Extra data stored on `socket.data` (e.g. the token's abilities). */
  data?: Record<string, unknown>
}

export type RealtimeAuthenticator = (
  request: IncomingMessage,
  auth: Record<string, unknown>
) => Promise<RealtimeIdentity | null>
export type ConnectionHandler = (socket: Socket) => void
export type NamespaceSetup = (namespace: Namespace) => void

/**
 * How long a dropped connection may come back and receive what it missed (in-process adapter
 * only). The adapter keeps every broadcast that long, so it costs memory under heavy traffic;
 * REALTIME_RECOVERY_SECONDS=0 turns recovery off (clients then replay from the database).
 */
export const RECOVERY_WINDOW_MS = env.get('REALTIME_RECOVERY_SECONDS', 120) * 1000

export const userRoom = (userId: number | string) => `user:${userId}`
export const companyRoom = (companyId: number | string) => `company:${companyId}`
/** Platform admins' browser sessions (dashboards that watch the whole platform). */
export const ADMINS_ROOM = 'admins'

export class Realtime {
  io?: IOServer
  #authenticator?: RealtimeAuthenticator
  #handlers: ConnectionHandler[] = []
  #namespaces = new Map<string, NamespaceSetup>()
  #redisClients: Redis[] = []

  constructor(protected app: ApplicationService) {}

  authenticateWith(authenticator: RealtimeAuthenticator) {
    this.#authenticator = authenticator
  }

  onConnection(handler: ConnectionHandler) {
    this.#handlers.push(handler)
  }

  /**
   * A module's own namespace (e.g. `/rooms`): its clients are authenticated like the main one's
   * and join the same identity rooms there; `setup` adds the namespace's middleware and events.
   */
  namespace(name: string, setup: NamespaceSetup) {
    this.#namespaces.set(name, setup)
    if (this.io) this.#setUp(this.io.of(name), setup)
  }

  async attach(server: HttpServer, options: { redis?: boolean } = {}) {
    if (this.io) return this.io
    const io = new IOServer(server, {
      serveClient: false,
      path: '/socket.io',
      /* Browsers must come from this site (desktops and scripts send no Origin). */
      allowRequest: (request, callback) => callback(null, sameSite(request)),
      /*
      | A client that drops for a moment gets its rooms and missed packets back (in-process
      | adapter only; the Redis adapter cannot, so modules also replay from the database).
      | Middlewares run again: a revoked credential does not come back.
      */
      ...(RECOVERY_WINDOW_MS > 0 && {
        connectionStateRecovery: {
          maxDisconnectionDuration: RECOVERY_WINDOW_MS,
          skipMiddlewares: false,
        },
      }),
    })
    if (options.redis) io.adapter(await this.#redisAdapter())

    this.#setUp(io.of('/'), (namespace) =>
      namespace.on('connection', (socket) => {
        for (const handler of this.#handlers) handler(socket)
      })
    )
    for (const [name, setup] of this.#namespaces) this.#setUp(io.of(name), setup)
    this.io = io
    return io
  }

  #setUp(namespace: Namespace, setup: NamespaceSetup) {
    namespace.use((socket, next) => {
      this.#identify(socket)
        .then((identity) => (identity ? next() : next(unauthorized())))
        .catch((error) => {
          this.app.container
            .make('logger')
            .then((logger) => logger.warn({ err: error }, 'realtime handshake failed'))
          next(handshakeRefusal(error))
        })
    })
    setup(namespace)
  }

  /** Pushes to a module namespace (through Redis from processes without a server). */
  of(name: string) {
    return this.#server(name)
  }

  toUser(userId: number | string) {
    return this.#server().to(userRoom(userId))
  }

  toAdmins() {
    return this.#server().to(ADMINS_ROOM)
  }

  toCompany(companyId: number | string) {
    return this.#server().to(companyRoom(companyId))
  }

  /** Removes a user's sockets (on every node) from a company room, e.g. after they leave it. */
  leaveCompany(userId: number | string, companyId: number | string) {
    for (const server of this.#everyNamespace())
      server.in(userRoom(userId)).socketsLeave(companyRoom(companyId))
  }

  /** Takes a user's sockets (on every node) out of the admins' room when they stop being one. */
  leaveAdmins(userId: number | string) {
    for (const server of this.#everyNamespace())
      server.in(userRoom(userId)).socketsLeave(ADMINS_ROOM)
  }

  /** Disconnects every socket of a user, e.g. when the account is disabled or deleted. */
  disconnectUser(userId: number | string) {
    this.disconnectRoom(userRoom(userId))
  }

  /** Disconnects every socket in a room, on every node. */
  disconnectRoom(room: string) {
    for (const server of this.#everyNamespace()) server.in(room).disconnectSockets(true)
  }

  #everyNamespace() {
    return ['/', ...this.#namespaces.keys()].map((name) => this.#server(name))
  }

  async close() {
    const io = this.io
    this.io = undefined
    if (io) await io.close()
    await Promise.all(this.#redisClients.map((client) => client.quit().catch(() => {})))
    this.#redisClients = []
    this.#emitter = undefined
  }

  async #identify(socket: Socket) {
    if (!this.#authenticator) return null
    const identity = await this.#authenticator(socket.request, socket.handshake.auth ?? {})
    if (!identity) return null
    /* Company membership is read from the socket's rooms (kept current), never from data. A recovered socket keeps its data. */
    socket.data = { ...socket.data, ...identity.data, userId: identity.userId }
    socket.join([
      userRoom(identity.userId),
      ...identity.companyIds.map(companyRoom),
      ...(identity.rooms ?? []),
    ])
    return identity
  }

  async #redisAdapter() {
    const redis = await this.app.container.make('redis')
    const base = redis.connection().ioConnection as Redis
    const pub = base.duplicate()
    const sub = base.duplicate()
    this.#redisClients.push(pub, sub)
    return createAdapter(pub, sub)
  }

  /*
  | Processes without a Socket.IO server (queue workers, Ace commands) publish through Redis to
  | the web processes' adapter; without Redis there is no one to tell and pushes go nowhere.
  */
  #server(namespace = '/'): Pick<Namespace, 'to' | 'in'> {
    if (this.io) return this.io.of(namespace)
    if (this.#emitter) return this.#emitter.of(namespace) as any
    const nowhere = { emit: () => true, socketsLeave: () => {}, disconnectSockets: () => {} }
    return { to: () => nowhere, in: () => nowhere } as any
  }

  #emitter?: Emitter

  /** For processes without a Socket.IO server: publish pushes through Redis (see #server). */
  async useRedisEmitter() {
    if (this.io || this.#emitter || !redisEnabled) return
    const redis = await this.app.container.make('redis')
    const client = (redis.connection().ioConnection as Redis).duplicate()
    this.#redisClients.push(client)
    this.#emitter = new Emitter(client)
  }
}

function sameSite(request: IncomingMessage) {
  const origin = request.headers.origin
  if (!origin) return true
  try {
    return new URL(origin).host === request.headers.host
  } catch {
    return false
  }
}

/*
| A handshake that failed on the database is not a bad token: the client is told to come back
| (`E_DATABASE_UNAVAILABLE` / `E_DATABASE_BUSY` with `retryAfter`, ADR 0015) instead of being
| told to sign in again.
*/
export function handshakeRefusal(error: unknown) {
  const outage = databaseUnavailable(error)
  if (!outage) return unauthorized()
  const refused = new Error(outage.message) as Error & { data: unknown }
  refused.data = { code: outage.code, message: outage.message, retryAfter: outage.retryAfter }
  return refused
}

function unauthorized() {
  const error = new Error('unauthorized') as Error & { data: unknown }
  error.data = { code: 'E_UNAUTHORIZED_ACCESS', message: 'Sign in, or send a valid token' }
  return error
}
