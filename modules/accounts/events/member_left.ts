import { BaseEvent } from '@adonisjs/core/events'

/** A membership ended: the member left, was removed, or the company was deleted. */
export default class MemberLeft extends BaseEvent {
  constructor(
    public payload: {
      companyId: number
      userId: number
      reason: 'left' | 'removed' | 'company_deleted' | 'account_deleted'
    }
  ) {
    super()
  }
}
