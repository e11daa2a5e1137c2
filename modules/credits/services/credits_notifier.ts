import { inject } from '@adonisjs/core'
import { Realtime } from '#app/realtime/realtime'
import type { AccountState } from '#credits/services/ledger_tx'
import LowBalanceReached from '#credits/events/low_balance_reached'

/*
| After a write commits: the new balance goes to every open tab and desktop of the company
| (`credits.balance` on its room), and a low-balance crossing becomes the
| `LowBalanceReached` event (owners are told by mail and in the app).
*/
export type BalancePayload = { balance: number; held: number; available: number }

export const presentBalance = (account: AccountState): BalancePayload => ({
  balance: account.balance,
  held: account.held,
  available: account.balance - account.held,
})

@inject()
export class CreditsNotifier {
  constructor(private realtime: Realtime) {}

  changed(companyId: number, before: AccountState, after: AccountState, crossedLow: boolean) {
    if (before.balance !== after.balance || before.held !== after.held) {
      this.realtime.toCompany(companyId).emit('credits.balance', presentBalance(after))
    }
    if (crossedLow) {
      void LowBalanceReached.dispatch(
        companyId,
        after.balance - after.held,
        after.lowBalanceThreshold!
      )
    }
  }
}
