import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import BaseInertiaMiddleware from '@adonisjs/inertia/inertia_middleware'
import { moduleRegistry } from '#app/modules/registry'
import type { CurrentCompany } from '#app/modules/module_provider'
import { routePath } from '#app/helpers/urls'
import env from '#start/env'
import { isStateless } from '#app/http/stateless'

/*
| Props every page receives: validation errors, flash messages, the navigation built from the
| enabled modules, and whatever each module shares (the accounts module adds the user and
| their companies). `share` may run before auth on error pages, so nothing is assumed.
*/
export default class InertiaMiddleware extends BaseInertiaMiddleware {
  async share(ctx: HttpContext) {
    const moduleProps = ctx.auth?.user ? await moduleRegistry.sharedProps(ctx) : {}
    return {
      appName: env.get('APP_NAME', 'Tandem'),
      errors: ctx.inertia.always(this.getValidationErrors(ctx)),
      navigation: ctx.inertia.always(
        this.#navigation(ctx, moduleProps.currentCompany as CurrentCompany | null)
      ),
      ...Object.fromEntries(
        Object.entries(moduleProps).map(([key, value]) => [key, ctx.inertia.always(value as any)])
      ),
    }
  }

  flash(ctx: HttpContext) {
    return {
      success: ctx.session?.flashMessages.get('success') as string | undefined,
      error: ctx.session?.flashMessages.get('error') as string | undefined,
      token: ctx.session?.flashMessages.get('token') as string | undefined,
    }
  }

  #navigation(ctx: HttpContext, company: CurrentCompany | null) {
    if (!ctx.auth?.user) return []
    return moduleRegistry
      .navigation()
      .filter(
        (entry) =>
          (entry.section !== 'company' || company) &&
          (!entry.visible || entry.visible(ctx, company))
      )
      .map((entry) => ({
        section: entry.section,
        label: entry.label,
        icon: entry.icon ?? null,
        href: routePath(
          entry.route,
          entry.section === 'company' ? { companyId: company!.id } : undefined
        ),
      }))
  }

  async handle(ctx: HttpContext, next: NextFn) {
    if (isStateless(ctx.request.url())) return next()
    await this.init(ctx)
    const output = await next()
    this.dispose(ctx)
    return output
  }
}
