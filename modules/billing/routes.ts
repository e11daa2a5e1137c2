import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { idMatcher } from '#app/helpers/ids'
import { readsOwnBody } from '#app/http/own_body'

const Billing = () => import('#billing/controllers/billing_controller')
const Plans = () => import('#billing/controllers/plans_controller')
const Checkouts = () => import('#billing/controllers/billing/checkouts_controller')
const PackCheckouts = () => import('#billing/controllers/billing/pack_checkouts_controller')
const PortalSessions = () => import('#billing/controllers/billing/portal_sessions_controller')
const StripeWebhooks = () => import('#billing/controllers/webhooks/stripe_controller')
const ApiBilling = () => import('#billing/controllers/api/billing_controller')

/* The company's plan, packs and invoices (owners and admins: billing:manage). */
router
  .group(() => {
    router.get('/billing', [Billing, 'show']).as('billing.billing.show')
    router.get('/billing/plans', [Plans, 'index']).as('billing.plans.index')
    router.post('/billing/checkout', [Checkouts, 'store']).as('billing.checkouts.store')
    router
      .post('/billing/packs/:pack/checkout', [PackCheckouts, 'store'])
      .as('billing.pack_checkouts.store')
      .where('pack', /^[a-z0-9_-]{1,64}$/)
    router.post('/billing/portal', [PortalSessions, 'store']).as('billing.portal_sessions.store')
  })
  .prefix('/companies/:companyId')
  .where('companyId', idMatcher)
  .use([middleware.auth(), middleware.company()])

/* Stripe's deliveries: no session, no CSRF token; the signature is the authentication. */
readsOwnBody(
  router.post('/webhooks/stripe', [StripeWebhooks, 'store']).as('billing.webhooks.stripe')
)

/* Desktops ask what their company's plan allows (docs/api.md, Billing). */
router
  .group(() => {
    router.get('/', [ApiBilling, 'show']).as('billing.api.billing.show')
    router
      .get('/entitlements/:feature', [ApiBilling, 'entitlement'])
      .as('billing.api.entitlements.show')
      .where('feature', /^[a-z0-9_.-]{1,64}$/)
      .use(middleware.plan())
  })
  .prefix('/api/v1/billing')
  .use([
    middleware.auth({ guards: ['api'] }),
    middleware.apiTenant(),
    middleware.ability({ ability: 'billing:read' }),
  ])
