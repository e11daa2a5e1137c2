import { BaseEvent } from '@adonisjs/core/events'
import type User from '#accounts/models/user'
import type Company from '#accounts/models/company'

/** A person created an account (dispatched after the sign-up transaction committed). */
export default class UserRegistered extends BaseEvent {
  constructor(
    public user: User,
    public company: Company | null
  ) {
    super()
  }
}
