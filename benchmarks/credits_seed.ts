/*
| Seeds the credits benchmark (run as its own process by credits.ts, on the database its env
| names): BENCH_SEED_COMPANIES companies, each with an owner, a bearer token that may spend
| (credits:write) and a billion credits. Prints `{"tokens":[…]}` as its last line.
*/
import { createIgnitor } from '../bin/ignitor.js'

const count = Number(process.env.BENCH_SEED_COMPANIES || 1000)
const app = createIgnitor().createApp('console')
await app.init()
await app.boot()
await app.start(() => {})

const { DateTime } = await import('luxon')
const { default: hash } = await import('@adonisjs/core/services/hash')
const { default: User } = await import('#accounts/models/user')
const { default: Company } = await import('#accounts/models/company')
const { default: Membership } = await import('#accounts/models/membership')
const { CreditsService } = await import('#credits/services/credits_service')
const credits = await app.container.make(CreditsService)

/* One password hash for all (hashing 1,000 would take a minute): saved without the model hooks. */
const password = await hash.make('bench-password-0123')
const tokens: string[] = []
for (let i = 0; i < count; i++) {
  const company = await Company.create({ name: `Bench ${i}`, personal: false })
  const user = await User.createQuietly({
    email: `bench-${i}-${company.id}@example.test`,
    password,
    emailVerifiedAt: DateTime.now(),
    currentCompanyId: company.id,
  })
  await Membership.create({ companyId: company.id, userId: user.id, role: 'owner' })
  const companyId = company.id
  const token = await User.accessTokens.create(user, ['credits:write'], { companyId })
  tokens.push(token.value!.release())
  await credits.grant(companyId, {
    amount: 1_000_000_000,
    actor: { type: 'system' },
    reason: 'Benchmark',
  })
  if ((i + 1) % 100 === 0) process.stderr.write(`seeded ${i + 1}/${count}\n`)
}
console.log(JSON.stringify({ tokens }))
await app.terminate()
