import env from '#start/env'

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)

/*
| The module's knobs, read once from the environment. Bound in the container so tests can swap
| a copy with small limits or a fixed clock.
*/
export class RoomsSettings {
  /** Characters in one chat message. */
  messageMaxLength = env.get('ROOMS_MESSAGE_MAX_LENGTH', 4000)
  /** Messages one user may send in 10 seconds, across all rooms (429 E_TOO_MANY_REQUESTS beyond). */
  messagesPer10s = env.get('ROOMS_MESSAGES_PER_10S', 20)
  /** Messages a join returns without a last-seen id, and at most with one. */
  historyOnJoin = 50
  replayLimit = 500
  stunUrls = list(env.get('ROOMS_STUN_URLS'))
  turnUrls = list(env.get('ROOMS_TURN_URLS'))
  turnSecret = env.get('ROOMS_TURN_SECRET')
  turnTtlSeconds = env.get('ROOMS_TURN_TTL_SECONDS', 6 * 3600)

  now() {
    return Date.now()
  }
}
