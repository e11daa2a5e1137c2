import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { RoomMembersService } from '#rooms/services/room_members_service'
import { RoomsService } from '#rooms/services/rooms_service'
import { actorOf } from '#rooms/services/actors'

/* POST /api/v1/rooms/:id/membership joins a public room; DELETE leaves it. */
@inject()
export default class MembershipsController {
  constructor(
    private members: RoomMembersService,
    private rooms: RoomsService
  ) {}

  async store(ctx: HttpContext) {
    const actor = actorOf(ctx)
    const room = await this.members.join(actor, ctx.params.id)
    return { room: await this.rooms.show(actor, room.id) }
  }

  async destroy(ctx: HttpContext) {
    await this.members.leave(actorOf(ctx), ctx.params.id)
    return ctx.response.noContent()
  }
}
