import type { HttpContext } from '@adonisjs/core/http'
import type { Actor } from '#credits/services/ledger_tx'

/* Who an API write is recorded as: the token, as `<user id>:<token id>` (tokens get deleted). */
export function tokenActor(ctx: HttpContext): Actor {
  const user = ctx.auth.getUserOrFail()
  return { type: 'token', id: `${user.id}:${user.currentAccessToken?.identifier ?? '?'}` }
}
