import { BaseEvent } from '@adonisjs/core/events'

/* The password was changed by its owner or reset from a mail link: other sessions are over. */
export default class CredentialsChanged extends BaseEvent {
  constructor(public payload: { userId: number; reason: 'changed' | 'reset' }) {
    super()
  }
}
