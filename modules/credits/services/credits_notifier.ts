import { inject } from '@adonisjs/core'
import { Realtime } from '#app/realtime/realtime'
import type { AccountState } from '#credits/services/ledger_tx'
import LowBalanceReached from '#credits/events/low_balance_reached'

/*
| After writes commit: the new balance goes to every open tab and desktop of the company
| (`credits.balance` on its room, with the company's id: a browser's socket is in the room of
| every company its user belongs to), and a low-balance crossing becomes the
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

  /** Once per committed group of writes to the company: its balance as it now stands. */
  changed(companyId: number, before: AccountState, after: AccountState) {
    if (before.balance !== after.balance || before.held !== after.held) {
      this.realtime
        .toCompany(companyId)
        .emit('credits.balance', { companyId, ...presentBalance(after) })
    }
  }

  /** Once per crossing of the low-balance threshold, with the account as the crossing left it. */
  lowBalance(companyId: number, account: AccountState) {
    void LowBalanceReached.dispatch(
      companyId,
      account.balance - account.held,
      account.lowBalanceThreshold!
    )
  }
}
