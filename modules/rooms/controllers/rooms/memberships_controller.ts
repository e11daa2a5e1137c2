import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { RoomMembersService } from '#rooms/services/room_members_service'
import { actorOf } from '#rooms/services/actors'

/* Join a public room (POST) or leave a room (DELETE). */
@inject()
export default class MembershipsController {
  constructor(private members: RoomMembersService) {}

  async store(ctx: HttpContext) {
    const room = await this.members.join(actorOf(ctx), ctx.params.id)
    return ctx.response.redirect().toRoute('rooms.rooms.show', {
      companyId: ctx.tenant.companyId,
      id: room.id,
    })
  }

  async destroy(ctx: HttpContext) {
    await this.members.leave(actorOf(ctx), ctx.params.id)
    ctx.session.flash('success', 'You left the room')
    return ctx.response.redirect().toRoute('rooms.rooms.index', { companyId: ctx.tenant.companyId })
  }
}
