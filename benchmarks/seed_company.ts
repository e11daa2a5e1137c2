/*
| What the benchmark seeds share: boot the app as a console process (on the database its env
| names), and make one company whose owner holds a token with the given abilities.
*/
import { createIgnitor } from '../bin/ignitor.js'

export async function bootApp() {
  const app = createIgnitor().createApp('console')
  await app.init()
  await app.boot()
  await app.start(() => {})
  return app
}

export async function seedCompany(name: string, abilities: string[]) {
  const { DateTime } = await import('luxon')
  const { default: hash } = await import('@adonisjs/core/services/hash')
  const { default: User } = await import('#accounts/models/user')
  const { default: Company } = await import('#accounts/models/company')
  const { default: Membership } = await import('#accounts/models/membership')

  const company = await Company.create({ name, personal: false })
  const user = await User.createQuietly({
    email: `bench-${company.id}@example.test`,
    fullName: 'Bench',
    password: await hash.make('bench-password-0123'),
    emailVerifiedAt: DateTime.now(),
    currentCompanyId: company.id,
  })
  await Membership.create({ companyId: company.id, userId: user.id, role: 'owner' })
  const token = await User.accessTokens.create(user, abilities, { companyId: company.id })
  return { company, user, token: token.value!.release() }
}
