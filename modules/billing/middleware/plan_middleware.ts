import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import app from '@adonisjs/core/services/app'
import { ApiError } from '#app/exceptions/api_error'
import { Entitlements } from '#billing/services/entitlements'

/*
| `middleware.plan()` / `middleware.plan({ feature: 'telemetry.export' })` after `company()` or
| `apiTenant()`: the company needs an active plan (including the feature). The API answers
| 402 E_PLAN_REQUIRED; a page shows why, with a link to the plans.
*/
export default class PlanMiddleware {
  async handle(ctx: HttpContext, next: NextFn, options: { feature?: string } = {}) {
    const entitlements = await app.container.make(Entitlements)
    try {
      await entitlements.require(ctx.tenant.companyId, options.feature)
    } catch (error) {
      if (!(error instanceof ApiError) || ctx.request.url().startsWith('/api/')) throw error
      ctx.response.status(402)
      return ctx.inertia.render('billing/plan_required', {
        message: error.message,
        companyId: ctx.tenant.companyId,
        feature: options.feature ?? null,
      })
    }
    return next()
  }
}
