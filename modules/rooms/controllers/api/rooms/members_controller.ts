import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { RoomMembersService } from '#rooms/services/room_members_service'
import { actorOf } from '#rooms/services/actors'
import { inviteValidator } from '#rooms/validators/room'

/* /api/v1/rooms/:id/members: who belongs; members invite, managers remove. */
@inject()
export default class MembersController {
  constructor(private members: RoomMembersService) {}

  async index(ctx: HttpContext) {
    return { data: await this.members.list(actorOf(ctx), ctx.params.id) }
  }

  async store(ctx: HttpContext) {
    const room = await this.members.ensureVisible(actorOf(ctx), ctx.params.id)
    const { userId } = await ctx.request.validateUsing(inviteValidator)
    await this.members.invite(actorOf(ctx), room.id, userId)
    ctx.response.status(201)
    return { data: await this.members.list(actorOf(ctx), ctx.params.id) }
  }

  async destroy(ctx: HttpContext) {
    await this.members.remove(actorOf(ctx), ctx.params.id, Number(ctx.params.userId))
    return ctx.response.noContent()
  }
}
