import { createHash } from 'node:crypto'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { ApiError } from '#app/exceptions/api_error'
import { IdempotencyKeys, type KeyRow } from '#app/http/idempotency_keys'

/*
| `Idempotency-Key` on API writes, with Stripe's semantics:
| - the same key and the same request again → the first response (status and body) is replayed,
|   with `Idempotent-Replayed: true`, and nothing happens a second time;
| - the same key with a different request → 422 E_IDEMPOTENCY_KEY_REUSED;
| - while the first request with the key still runs → 409 E_IDEMPOTENCY_IN_PROGRESS.
| Responses are kept for IDEMPOTENCY_TTL_HOURS (24). Not kept, so the key can be retried: server
| errors, validation errors and rate limiting. Keys belong to the token's company (or the user).
*/
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/

export default class IdempotencyMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const key = ctx.request.header('idempotency-key')
    if (key === undefined) return next()
    if (!KEY_PATTERN.test(key)) {
      throw ApiError.invalid(
        'E_INVALID_IDEMPOTENCY_KEY',
        'Idempotency-Key must be 1 to 255 visible ASCII characters'
      )
    }
    const keys = new IdempotencyKeys()
    const claim = await keys.claim(scopeOf(ctx), key, requestHash(ctx))
    if (claim.replay) return replay(ctx, claim.replay)

    try {
      /* Errors thrown further down are already rendered into the response when this returns. */
      await next()
    } catch (error) {
      await keys.release(claim.row)
      throw error
    }
    const status = ctx.response.getStatus()
    if (kept(status)) await keys.complete(claim.row, status, ctx.response.getBody())
    else await keys.release(claim.row)
  }
}

function scopeOf(ctx: HttpContext) {
  const tenant = (ctx as any).tenant as { companyId: number } | undefined
  if (tenant) return `company:${tenant.companyId}`
  return `user:${ctx.auth.getUserOrFail().id}`
}

/* Method, path and the parsed body with sorted keys: the same parameters, however sent. */
function requestHash(ctx: HttpContext) {
  const canonical = JSON.stringify(sortKeys(ctx.request.body() ?? {}))
  return createHash('sha256')
    .update(`${ctx.request.method()} ${ctx.request.url(true)}\n${canonical}`)
    .digest('hex')
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((name) => [name, sortKeys((value as any)[name])])
    )
  }
  return value
}

function replay(ctx: HttpContext, row: KeyRow) {
  ctx.response.header('idempotent-replayed', 'true')
  ctx.response.status(row.response_status!)
  const body = row.response_body === null ? null : JSON.parse(row.response_body)
  return body === null ? ctx.response.send('') : ctx.response.json(body)
}

/* Errors that are the request's result (402, 404, 409…) are kept like any response. */
function kept(status: number) {
  return status < 500 && status !== 422 && status !== 429
}
