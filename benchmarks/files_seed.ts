/*
| Seeds the files benchmark (its own process, on the database its env names): one company with
| an owner and a `files:write` token. Prints `{"token":"…"}`.
*/
import { createIgnitor } from '../bin/ignitor.js'

const app = createIgnitor().createApp('console')
await app.init()
await app.boot()
await app.start(() => {})

const { DateTime } = await import('luxon')
const { default: hash } = await import('@adonisjs/core/services/hash')
const { default: User } = await import('#accounts/models/user')
const { default: Company } = await import('#accounts/models/company')
const { default: Membership } = await import('#accounts/models/membership')

const company = await Company.create({ name: 'Files bench', personal: false })
const user = await User.createQuietly({
  email: `files-bench-${company.id}@example.test`,
  password: await hash.make('bench-password-0123'),
  emailVerifiedAt: DateTime.now(),
  currentCompanyId: company.id,
})
await Membership.create({ companyId: company.id, userId: user.id, role: 'owner' })
const token = await User.accessTokens.create(user, ['files:write', 'files:read'], {
  companyId: company.id,
})
console.log(JSON.stringify({ token: token.value!.release() }))
await app.terminate()
