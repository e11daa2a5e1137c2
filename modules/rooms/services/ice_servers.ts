import { createHmac } from 'node:crypto'
import { inject } from '@adonisjs/core'
import { RoomsSettings } from '#rooms/services/rooms_settings'

/*
| STUN and TURN servers for video calls. TURN credentials follow coturn's REST API scheme
| (`use-auth-secret`): the username is `<expiry unix seconds>:<user id>` and the password is
| base64(HMAC-SHA1(secret, username)), so coturn can check them without a database and no
| fixed TURN password ever ships to a client.
*/
export type IceServer = { urls: string[]; username?: string; credential?: string }

@inject()
export class IceServers {
  constructor(private settings: RoomsSettings) {}

  for(userId: number) {
    const iceServers: IceServer[] = []
    if (this.settings.stunUrls.length) iceServers.push({ urls: this.settings.stunUrls })
    const ttlSeconds = this.settings.turnTtlSeconds
    const expiresAt = Math.floor(this.settings.now() / 1000) + ttlSeconds
    if (this.settings.turnUrls.length && this.settings.turnSecret) {
      const username = `${expiresAt}:${userId}`
      iceServers.push({
        urls: this.settings.turnUrls,
        username,
        credential: turnPassword(this.settings.turnSecret, username),
      })
    }
    return { iceServers, ttlSeconds, expiresAt: new Date(expiresAt * 1000).toISOString() }
  }
}

export function turnPassword(secret: string, username: string) {
  return createHmac('sha1', secret).update(username).digest('base64')
}
