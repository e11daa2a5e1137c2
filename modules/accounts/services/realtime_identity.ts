import type { IncomingMessage } from 'node:http'
import type { ApplicationService } from '@adonisjs/core/types'
import { Secret } from '@adonisjs/core/helpers'
import User from '#accounts/models/user'
import Membership from '#accounts/models/membership'
import { handshakeContext } from '#app/realtime/handshake_context'
import { ADMINS_ROOM, type RealtimeIdentity } from '#app/realtime/realtime'
import { SESSION_FINGERPRINT_KEY, sessionFingerprint } from '#accounts/services/session_fingerprint'

/*
| Who a Socket.IO client is. A bearer token (`auth: { token }` or an Authorization header)
| always gets its user's room, and its company's room only with the `events:read` ability; a
| browser session joins every company the user belongs to. Each socket also joins a room named
| after its credential (`token:<id>`, `session:<id>`) so revoking it closes the socket.
*/
export const tokenRoom = (tokenId: number | string) => `token:${tokenId}`
export const sessionRoom = (sessionId: string) => `session:${sessionId}`

export function realtimeAuthenticator(app: ApplicationService) {
  return async (
    request: IncomingMessage,
    auth: Record<string, unknown>
  ): Promise<RealtimeIdentity | null> => {
    const bearer =
      typeof auth.token === 'string'
        ? auth.token
        : request.headers.authorization?.replace(/^Bearer\s+/i, '')
    if (bearer) return fromToken(bearer)
    return fromSession(app, request)
  }
}

async function fromToken(value: string): Promise<RealtimeIdentity | null> {
  const token = await User.accessTokens.verify(new Secret(value))
  const user = token ? await User.find(token.tokenableId) : null
  if (!token || !user || user.isDisabled) return null
  const member = await Membership.query()
    .where({ userId: user.id, companyId: token.companyId })
    .first()
  if (!member) return null
  return {
    userId: user.id,
    companyIds: token.allows('events:read') ? [token.companyId] : [],
    rooms: [tokenRoom(Number(token.identifier))],
    data: {
      abilities: token.abilities,
      companyId: token.companyId,
      tokenId: Number(token.identifier),
      via: 'token',
    },
  }
}

async function fromSession(
  app: ApplicationService,
  request: IncomingMessage
): Promise<RealtimeIdentity | null> {
  const ctx = await handshakeContext(app, request)
  const guard = ctx.auth.use('web')
  /* Only an existing session: the remember-me path would rotate a cookie the handshake cannot return. */
  if (!ctx.session?.has(guard.sessionKeyName) || !(await guard.check())) return null
  const user = guard.user!
  const remembered = ctx.session.get(SESSION_FINGERPRINT_KEY)
  if (user.isDisabled || (remembered !== undefined && remembered !== sessionFingerprint(user)))
    return null
  const memberships = await Membership.query().where('userId', user.id).select('companyId')
  return {
    userId: user.id,
    companyIds: memberships.map((m) => m.companyId),
    rooms: [sessionRoom(ctx.session.sessionId), ...(user.isAdmin ? [ADMINS_ROOM] : [])],
    data: { abilities: ['*'], via: 'session' },
  }
}
