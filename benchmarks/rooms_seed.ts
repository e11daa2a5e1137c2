/*
| Seeds the rooms benchmark (its own process, on the database its env names): one company, its
| owner with a `rooms:join` token, and BENCH_ROOMS rooms made through RoomsService.
| Prints `{"token":"…","rooms":[ids…]}`.
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
const { RoomsService } = await import('#rooms/services/rooms_service')

const company = await Company.create({ name: 'Rooms bench', personal: false })
const user = await User.createQuietly({
  email: `rooms-bench-${company.id}@example.test`,
  fullName: 'Bench',
  password: await hash.make('bench-password-0123'),
  emailVerifiedAt: DateTime.now(),
  currentCompanyId: company.id,
})
await Membership.create({ companyId: company.id, userId: user.id, role: 'owner' })
const token = await User.accessTokens.create(user, ['rooms:join'], { companyId: company.id })
const service = await app.container.make(RoomsService)
const actor = { userId: user.id, companyId: company.id, role: 'owner' as const }
const rooms: number[] = []
for (let i = 0; i < Number(process.env.BENCH_ROOMS ?? 10); i++) {
  const room = await service.create(actor, { name: `Room ${i + 1}` })
  rooms.push(room.id)
}
console.log(JSON.stringify({ token: token.value!.release(), rooms }))
await app.terminate()
