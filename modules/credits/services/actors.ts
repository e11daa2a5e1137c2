import type { HttpContext } from '@adonisjs/core/http'
import type { Actor } from '#credits/services/ledger_tx'

/*
| Who an API write is recorded as — the token, as `<user id>:<token id>` (tokens get deleted) —
| and the Idempotency-Key the entry carries (see docs/adr/0007).
*/
export function apiWrite(ctx: HttpContext): { actor: Actor; idempotencyKey: string | null } {
  const user = ctx.auth.getUserOrFail()
  return {
    actor: { type: 'token', id: `${user.id}:${user.currentAccessToken?.identifier ?? '?'}` },
    idempotencyKey: ctx.request.header('idempotency-key') ?? null,
  }
}
