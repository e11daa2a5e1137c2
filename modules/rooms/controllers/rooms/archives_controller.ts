import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { RoomsService } from '#rooms/services/rooms_service'
import { actorOf } from '#rooms/services/actors'

/* Archiving a room makes it read-only (POST); restoring reopens it (DELETE). */
@inject()
export default class ArchivesController {
  constructor(private rooms: RoomsService) {}

  async store(ctx: HttpContext) {
    await this.rooms.setArchived(actorOf(ctx), ctx.params.id, true)
    ctx.session.flash('success', 'Room archived')
    return ctx.response.redirect().back()
  }

  async destroy(ctx: HttpContext) {
    await this.rooms.setArchived(actorOf(ctx), ctx.params.id, false)
    ctx.session.flash('success', 'Room restored')
    return ctx.response.redirect().back()
  }
}
