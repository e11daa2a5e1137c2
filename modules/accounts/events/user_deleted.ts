import { BaseEvent } from '@adonisjs/core/events'

/** An account was deleted (by its owner or a platform admin); its rows are already gone. */
export default class UserDeleted extends BaseEvent {
  constructor(public payload: { userId: number; email: string }) {
    super()
  }
}
