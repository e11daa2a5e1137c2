import type { HttpContext } from '@adonisjs/core/http'

/*
| Routes that read their request body themselves (streaming, their own limits, compressed
| bodies): the body parser leaves them alone. Modules register them with `readsOwnBody(route)`.
| Patterns are read at the first request, once group prefixes have been applied.
*/
const routes: Array<{ toJSON(): { pattern: string } }> = []
let patterns: Set<string> | undefined

export function readsOwnBody<T extends { toJSON(): { pattern: string } }>(route: T) {
  routes.push(route)
  patterns = undefined
  return route
}

export function ownsBody(ctx: HttpContext) {
  if (!ctx.route || !routes.length) return false
  patterns ??= new Set(routes.map((route) => route.toJSON().pattern))
  return patterns.has(ctx.route.pattern)
}
