import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import User from '#accounts/models/user'
import { createCompanyWithOwner } from '#accounts/database/factories/user_factory'
import { CreditsClock } from '#credits/services/credits_clock'
import { CreditsService, type GrantInput } from '#credits/services/credits_service'

/* A company with an owner and a bearer token (all abilities unless told otherwise). */
export async function apiCompany(abilities: string[] = ['*']) {
  const { owner, company } = await createCompanyWithOwner()
  const token = await User.accessTokens.create(owner, abilities, { companyId: company.id })
  return { owner, company, token: token.value!.release() }
}

export async function grant(companyId: number, amount: number, extra: Partial<GrantInput> = {}) {
  const credits = await app.container.make(CreditsService)
  return credits.grant(companyId, {
    amount,
    actor: { type: 'system' },
    reason: 'Test grant',
    ...extra,
  })
}

export async function entries(companyId: number, type?: string) {
  const query = db.from('credit_entries').where('company_id', companyId).orderBy('id')
  if (type) query.where('type', type)
  return query
}

/* A clock the test moves: `clock.jump(ms)`. Restored by the returned function. */
export function fakeClock(start = Date.now()) {
  const clock = new (class extends CreditsClock {
    at = start
    now() {
      return this.at
    }
    jump(ms: number) {
      this.at += ms
    }
  })()
  app.container.swap(CreditsClock, () => clock)
  return { clock, restore: () => app.container.restore(CreditsClock) }
}

export { deleteCompanyCredits } from '#credits/database/factories/cleanup'
