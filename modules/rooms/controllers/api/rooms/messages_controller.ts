import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { MessagesService } from '#rooms/services/messages_service'
import { actorOf } from '#rooms/services/actors'
import { listMessagesValidator, messageValidator } from '#rooms/validators/room'

/*
| /api/v1/rooms/:id/messages: history newest first (`cursor` pages back), or with `after` the
| messages after an id, oldest first (a client catching up). Posting delivers it live.
*/
@inject()
export default class MessagesController {
  constructor(private messages: MessagesService) {}

  async index(ctx: HttpContext) {
    const query = await ctx.request.validateUsing(listMessagesValidator, { data: ctx.request.qs() })
    const actor = actorOf(ctx)
    if (query.after === undefined)
      return this.messages.history(actor, ctx.params.id, {
        cursor: query.cursor,
        limit: query.limit,
      })
    const page = await this.messages.after(actor, ctx.params.id, query.after, query.limit ?? 200)
    return { data: page.messages, hasMore: page.hasMore }
  }

  async store(ctx: HttpContext) {
    const { body, attachments } = await ctx.request.validateUsing(messageValidator)
    ctx.response.status(201)
    return { message: await this.messages.post(actorOf(ctx), ctx.params.id, body, attachments) }
  }

  async update(ctx: HttpContext) {
    const { body } = await ctx.request.validateUsing(messageValidator)
    const message = await this.messages.edit(
      actorOf(ctx),
      ctx.params.id,
      ctx.params.messageId,
      body
    )
    return { message }
  }

  async destroy(ctx: HttpContext) {
    await this.messages.remove(actorOf(ctx), ctx.params.id, ctx.params.messageId)
    return ctx.response.noContent()
  }
}
