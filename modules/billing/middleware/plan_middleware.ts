import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import app from '@adonisjs/core/services/app'
import { Entitlements } from '#billing/services/entitlements'

/*
| `middleware.plan()` / `middleware.plan({ feature: 'telemetry.export' })` after `company()` or
| `apiTenant()`: the company needs an active plan (including the feature), or the request is
| refused with 402 E_PLAN_REQUIRED.
*/
export default class PlanMiddleware {
  async handle(ctx: HttpContext, next: NextFn, options: { feature?: string } = {}) {
    const entitlements = await app.container.make(Entitlements)
    await entitlements.require(ctx.tenant.companyId, options.feature)
    return next()
  }
}
