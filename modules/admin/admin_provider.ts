import type { HttpContext } from '@adonisjs/core/http'
import { ModuleProvider } from '#app/modules/module_provider'

const isAdmin = (ctx: HttpContext) => Boolean(ctx.auth.user?.isAdmin)

export default class AdminProvider extends ModuleProvider {
  routes = () => import('#admin/routes')

  navigation = [
    {
      section: 'admin' as const,
      label: 'Users',
      route: 'admin.users.index',
      icon: 'users',
      order: 0,
      visible: isAdmin,
    },
    {
      section: 'admin' as const,
      label: 'Companies',
      route: 'admin.companies.index',
      icon: 'building',
      order: 10,
      visible: isAdmin,
    },
    {
      section: 'admin' as const,
      label: 'Audit log',
      route: 'admin.audit_logs.index',
      icon: 'list',
      order: 20,
      visible: isAdmin,
    },
  ]
}
