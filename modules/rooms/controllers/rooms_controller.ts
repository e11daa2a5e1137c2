import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { MembershipsService } from '#accounts/services/memberships_service'
import { RoomsService } from '#rooms/services/rooms_service'
import { RoomMembersService } from '#rooms/services/room_members_service'
import { IceServers } from '#rooms/services/ice_servers'
import { actorOf } from '#rooms/services/actors'
import {
  createRoomValidator,
  listRoomsValidator,
  updateRoomValidator,
} from '#rooms/validators/room'

/* The company's rooms (web): the list, one room's page, create and rename. */
@inject()
export default class RoomsController {
  constructor(
    private rooms: RoomsService,
    private members: RoomMembersService,
    private ice: IceServers
  ) {}

  async index(ctx: HttpContext) {
    const filters = await ctx.request.validateUsing(listRoomsValidator, { data: ctx.request.qs() })
    return ctx.inertia.render('rooms/rooms/index', {
      rooms: await this.rooms.list(actorOf(ctx), { archived: filters.archived }),
      archived: Boolean(filters.archived),
    })
  }

  async store(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(createRoomValidator)
    const room = await this.rooms.create(actorOf(ctx), input)
    return ctx.response.redirect().toRoute('rooms.rooms.show', {
      companyId: ctx.tenant.companyId,
      id: room.id,
    })
  }

  async show(ctx: HttpContext) {
    const actor = actorOf(ctx)
    const room = await this.rooms.show(actor, ctx.params.id)
    const company = await new MembershipsService().list(actor.companyId)
    return ctx.inertia.render('rooms/rooms/show', {
      room,
      members: await this.members.list(actor, room.id),
      companyMembers: company.map((m) => ({ userId: m.userId, name: m.user.displayName })),
      ice: this.ice.for(actor.userId),
    })
  }

  async update(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(updateRoomValidator)
    await this.rooms.update(actorOf(ctx), ctx.params.id, { name: input.name, topic: input.topic })
    ctx.session.flash('success', 'Room updated')
    return ctx.response.redirect().back()
  }
}
