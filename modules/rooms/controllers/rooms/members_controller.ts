import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { RoomMembersService } from '#rooms/services/room_members_service'
import { actorOf } from '#rooms/services/actors'
import { inviteValidator } from '#rooms/validators/room'

/* Adding a company member to a room (invite-only rooms) and removing one. */
@inject()
export default class MembersController {
  constructor(private members: RoomMembersService) {}

  async store(ctx: HttpContext) {
    const room = await this.members.ensureVisible(actorOf(ctx), ctx.params.id)
    const { userId } = await ctx.request.validateUsing(inviteValidator)
    await this.members.invite(actorOf(ctx), room.id, userId)
    ctx.session.flash('success', 'Member added')
    return ctx.response.redirect().back()
  }

  async destroy(ctx: HttpContext) {
    await this.members.remove(actorOf(ctx), ctx.params.id, Number(ctx.params.userId))
    ctx.session.flash('success', 'Member removed')
    return ctx.response.redirect().back()
  }
}
