/*
| HTTP kernel: the middleware every request passes through, then the named middleware routes
| opt into.
*/
import router from '@adonisjs/core/services/router'
import server from '@adonisjs/core/services/server'

server.errorHandler(() => import('#app/exceptions/handler'))

server.use([
  () => import('#app/middleware/connection_drain_middleware'),
  () => import('#app/middleware/container_bindings_middleware'),
  () => import('#app/middleware/static_middleware'),
  () => import('@adonisjs/cors/cors_middleware'),
  () => import('@adonisjs/vite/vite_middleware'),
  () => import('#app/middleware/inertia_middleware'),
])

router.use([
  () => import('#app/middleware/body_parser_middleware'),
  () => import('#app/middleware/browser_middleware'),
  () => import('#app/middleware/initialize_auth_middleware'),
  () => import('#accounts/middleware/silent_auth_middleware'),
])

export const middleware = router.named({
  auth: () => import('#accounts/middleware/auth_middleware'),
  guest: () => import('#accounts/middleware/guest_middleware'),
  admin: () => import('#accounts/middleware/admin_middleware'),
  company: () => import('#accounts/middleware/company_middleware'),
  apiTenant: () => import('#accounts/middleware/api_tenant_middleware'),
  ability: () => import('#accounts/middleware/ability_middleware'),
  idempotent: () => import('#app/middleware/idempotency_middleware'),
  plan: () => import('#billing/middleware/plan_middleware'),
})
