import { BaseEvent } from '@adonisjs/core/events'

/** A new API token exists for a user (desktop sign-in or created in the UI). */
export default class ApiTokenCreated extends BaseEvent {
  constructor(
    public payload: {
      userId: number
      companyId: number
      tokenId: number
      name: string | null
      via: 'login' | 'ui'
    }
  ) {
    super()
  }
}
