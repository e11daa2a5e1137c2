import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { idMatcher } from '#app/helpers/ids'
import modulesConfig from '#config/modules'

const Credits = () => import('#credits/controllers/credits_controller')
const Exports = () => import('#credits/controllers/credits/exports_controller')
const Thresholds = () => import('#credits/controllers/credits/low_balance_thresholds_controller')
const AdminCredits = () => import('#credits/controllers/admin/credits_controller')
const AdminGrants = () => import('#credits/controllers/admin/grants_controller')
const AdminAdjustments = () => import('#credits/controllers/admin/adjustments_controller')
const Balances = () => import('#credits/controllers/api/balances_controller')
const Consumptions = () => import('#credits/controllers/api/consumptions_controller')
const ConsumptionBatches = () => import('#credits/controllers/api/consumption_batches_controller')
const Holds = () => import('#credits/controllers/api/holds_controller')
const Captures = () => import('#credits/controllers/api/holds/captures_controller')
const Releases = () => import('#credits/controllers/api/holds/releases_controller')
const Transactions = () => import('#credits/controllers/api/transactions_controller')

const read = () => middleware.ability({ ability: 'credits:read' })
const write = () => [middleware.ability({ ability: 'credits:write' }), middleware.idempotent()]

/* The company's credits (web). */
router
  .group(() => {
    router.get('/credits', [Credits, 'index']).as('credits.credits.index')
    router.get('/credits/transactions.csv', [Exports, 'show']).as('credits.exports.show')
    router
      .put('/credits/low-balance-threshold', [Thresholds, 'update'])
      .as('credits.low_balance_thresholds.update')
  })
  .prefix('/companies/:companyId')
  .where('companyId', idMatcher)
  .use([middleware.auth(), middleware.company()])

/* Platform admins: any company's ledger; grants and adjustments, audit-logged. */
if (modulesConfig.isEnabled('admin')) {
  router
    .group(() => {
      router.get('/credits', [AdminCredits, 'index']).as('credits.admin_credits.index')
      router.get('/companies/:id/credits', [AdminCredits, 'show']).as('credits.admin_credits.show')
      router
        .post('/companies/:id/credits/grants', [AdminGrants, 'store'])
        .as('credits.admin_grants.store')
      router
        .post('/companies/:id/credits/adjustments', [AdminAdjustments, 'store'])
        .as('credits.admin_adjustments.store')
    })
    .prefix('/admin')
    .where('id', idMatcher)
    .use([middleware.auth(), middleware.admin()])
}

/* Public API: desktops spend their company's credits (docs/api.md, Credits). */
router
  .group(() => {
    router.get('/balance', [Balances, 'show']).as('credits.api.balances.show').use(read())
    router
      .get('/transactions', [Transactions, 'index'])
      .as('credits.api.transactions.index')
      .use(read())
    router
      .post('/consume', [Consumptions, 'store'])
      .as('credits.api.consumptions.store')
      .use(write())
    router
      .post('/consume/batch', [ConsumptionBatches, 'store'])
      .as('credits.api.consumption_batches.store')
      .use(write())
    router.post('/holds', [Holds, 'store']).as('credits.api.holds.store').use(write())
    router
      .post('/holds/:id/capture', [Captures, 'store'])
      .as('credits.api.captures.store')
      .use(write())
    router
      .post('/holds/:id/release', [Releases, 'store'])
      .as('credits.api.releases.store')
      .use(write())
  })
  .prefix('/api/v1/credits')
  .where('id', idMatcher)
  .use([middleware.auth({ guards: ['api'] }), middleware.apiTenant()])
