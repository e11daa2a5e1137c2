import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import { Job } from '#app/queue/job'
import { Ledger } from '#credits/services/ledger'
import { CreditsClock } from '#credits/services/credits_clock'

/*
| Every minute: expired grants leave the balance (an `expire` entry) and expired holds give their
| credits back. Writes sweep lazily too, so balances are right before this runs; the job makes
| the ledger and the live balances show it without waiting for the next write.
*/
@inject()
export default class ExpireCredits extends Job {
  static schedule = '* * * * *'

  constructor(
    private ledger: Ledger,
    private clock: CreditsClock
  ) {
    super()
  }

  async handle() {
    const due = await db
      .from('credit_accounts')
      .whereNotNull('next_expiry_at')
      .where('next_expiry_at', '<=', this.clock.now())
      .select('company_id')
      .limit(10_000)
    for (const row of due) await this.ledger.write(Number(row.company_id), async () => null)
    return { accounts: due.length }
  }
}
