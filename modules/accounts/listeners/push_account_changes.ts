import app from '@adonisjs/core/services/app'
import { Realtime } from '#app/realtime/realtime'
import type ApiTokenCreated from '#accounts/events/api_token_created'
import type MemberJoined from '#accounts/events/member_joined'
import type MemberLeft from '#accounts/events/member_left'
import type UserDeleted from '#accounts/events/user_deleted'
import type AccessRevoked from '#accounts/events/access_revoked'
import type CredentialsChanged from '#accounts/events/credentials_changed'
import { sessionRoom, tokenRoom } from '#accounts/services/realtime_identity'

/*
| Keeps connected clients in step with account changes: a new sign-in is announced to the
| user's other devices, and sockets leave company rooms the moment a membership ends.
| Event names are part of the public realtime contract.
*/
export default class PushAccountChanges {
  async tokenCreated(event: ApiTokenCreated) {
    const realtime = await app.container.make(Realtime)
    const { userId, ...token } = event.payload
    realtime
      .toUser(userId)
      .emit('accounts.token_created', { ...token, createdAt: new Date().toISOString() })
  }

  async memberJoined(event: MemberJoined) {
    const realtime = await app.container.make(Realtime)
    const { companyId, userId, role } = event.membership
    realtime.toCompany(companyId).emit('accounts.member_joined', { companyId, userId, role })
  }

  async memberLeft(event: MemberLeft) {
    const realtime = await app.container.make(Realtime)
    realtime.leaveCompany(event.payload.userId, event.payload.companyId)
    realtime.toUser(event.payload.userId).emit('accounts.membership_ended', event.payload)
    realtime.toCompany(event.payload.companyId).emit('accounts.member_left', event.payload)
  }

  async userDeleted(event: UserDeleted) {
    const realtime = await app.container.make(Realtime)
    realtime.disconnectUser(event.payload.userId)
  }

  /* A revoked credential, an ended session or a disabled account: close its live connections. */
  async accessRevoked(event: AccessRevoked) {
    const realtime = await app.container.make(Realtime)
    const revoked = event.payload
    if (revoked.kind === 'token') realtime.disconnectRoom(tokenRoom(revoked.tokenId))
    else if (revoked.kind === 'session') realtime.disconnectRoom(sessionRoom(revoked.sessionId))
    else realtime.disconnectUser(revoked.userId)
  }

  /* Other sessions end with a password change; after a reset every connection goes. */
  async credentialsChanged(event: CredentialsChanged) {
    const realtime = await app.container.make(Realtime)
    realtime.disconnectUser(event.payload.userId)
  }
}
