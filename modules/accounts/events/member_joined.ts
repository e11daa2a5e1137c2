import { BaseEvent } from '@adonisjs/core/events'
import type Membership from '#accounts/models/membership'

/** Someone became a member of a company (accepted an invitation or created the company). */
export default class MemberJoined extends BaseEvent {
  constructor(public membership: Membership) {
    super()
  }
}
