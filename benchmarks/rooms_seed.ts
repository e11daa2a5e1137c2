/*
| Seeds the rooms benchmark: one company, its owner with a `rooms:join` token, and BENCH_ROOMS
| rooms made through RoomsService. Prints `{"token":"…","rooms":[ids…]}`.
*/
import { bootApp, seedCompany } from './seed_company.js'

const app = await bootApp()
const { RoomsService } = await import('#rooms/services/rooms_service')
const { company, user, token } = await seedCompany('Rooms bench', ['rooms:join'])
const service = await app.container.make(RoomsService)
const actor = { userId: user.id, companyId: company.id, role: 'owner' as const }
const rooms: number[] = []
for (let i = 0; i < Number(process.env.BENCH_ROOMS ?? 10); i++) {
  const room = await service.create(actor, { name: `Room ${i + 1}` })
  rooms.push(room.id)
}
console.log(JSON.stringify({ token, rooms }))
await app.terminate()
