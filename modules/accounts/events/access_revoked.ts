import { BaseEvent } from '@adonisjs/core/events'

/*
| Something that let a client in no longer does: an API token was revoked, a browser session
| ended, or the account was disabled. Live connections opened with it are closed.
*/
export default class AccessRevoked extends BaseEvent {
  constructor(
    public payload:
      | { kind: 'token'; userId: number; tokenId: number }
      | { kind: 'session'; userId: number; sessionId: string }
      | { kind: 'user'; userId: number }
  ) {
    super()
  }
}
