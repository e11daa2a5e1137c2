import type { HttpContext } from '@adonisjs/core/http'
import type { Actor } from '#rooms/services/rooms_service'

/** The signed-in user acting in the request's company (session tenant or the token's company). */
export function actorOf(ctx: HttpContext): Actor {
  return { userId: ctx.auth.user!.id, companyId: ctx.tenant.companyId, role: ctx.tenant.role }
}
