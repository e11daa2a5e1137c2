import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { RoomsService } from '#rooms/services/rooms_service'
import { actorOf } from '#rooms/services/actors'
import {
  createRoomValidator,
  listRoomsValidator,
  updateRoomValidator,
} from '#rooms/validators/room'

/* /api/v1/rooms (rooms:join): the rooms the token's user can see in its company. */
@inject()
export default class RoomsController {
  constructor(private rooms: RoomsService) {}

  async index(ctx: HttpContext) {
    const filters = await ctx.request.validateUsing(listRoomsValidator, { data: ctx.request.qs() })
    return { data: await this.rooms.list(actorOf(ctx), { archived: filters.archived }) }
  }

  async store(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(createRoomValidator)
    ctx.response.status(201)
    return { room: await this.rooms.create(actorOf(ctx), input) }
  }

  async show(ctx: HttpContext) {
    return { room: await this.rooms.show(actorOf(ctx), ctx.params.id) }
  }

  async update(ctx: HttpContext) {
    const { archived, ...input } = await ctx.request.validateUsing(updateRoomValidator)
    const actor = actorOf(ctx)
    let room = await this.rooms.show(actor, ctx.params.id)
    if (input.name !== undefined || input.topic !== undefined)
      room = await this.rooms.update(actor, room.id, input)
    if (archived !== undefined) room = await this.rooms.setArchived(actor, room.id, archived)
    return { room }
  }
}
