import { inject } from '@adonisjs/core'
import emitter from '@adonisjs/core/services/emitter'
import { Realtime } from '#app/realtime/realtime'
import type { AccountState } from '#credits/services/ledger_tx'

/*
| After a write commits: the new balance goes to every open tab and desktop of the company
| (`credits.balance` on its room), and a low-balance crossing becomes the
| `credits:low_balance` event (owners are told by mail and in the app).
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
      void emitter.emit('credits:low_balance', {
        companyId,
        available: after.balance - after.held,
        threshold: after.lowBalanceThreshold!,
      })
    }
  }
}

declare module '@adonisjs/core/types' {
  interface EventsList {
    'credits:low_balance': { companyId: number; available: number; threshold: number }
  }
}
