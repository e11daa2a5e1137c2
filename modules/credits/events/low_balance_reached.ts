import { BaseEvent } from '@adonisjs/core/events'

/** A company's available credits dropped below its low-balance threshold (once per crossing). */
export default class LowBalanceReached extends BaseEvent {
  constructor(
    public companyId: number,
    public available: number,
    public threshold: number
  ) {
    super()
  }
}
