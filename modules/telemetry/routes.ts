import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { idMatcher } from '#app/helpers/ids'
import { readsOwnBody } from '#app/http/own_body'
import modulesConfig from '#config/modules'

const Batches = () => import('#telemetry/controllers/api/batches_controller')
const LatestReleases = () => import('#telemetry/controllers/api/latest_releases_controller')
const Installations = () => import('#telemetry/controllers/telemetry/installations_controller')
const Dashboard = () => import('#telemetry/controllers/admin/dashboard_controller')
const Issues = () => import('#telemetry/controllers/admin/issues_controller')
const IssueStatuses = () => import('#telemetry/controllers/admin/issues/statuses_controller')
const Events = () => import('#telemetry/controllers/admin/events_controller')
const EventExports = () => import('#telemetry/controllers/admin/events/exports_controller')
const Releases = () => import('#telemetry/controllers/admin/releases_controller')
const ReleaseHalts = () => import('#telemetry/controllers/admin/releases/halts_controller')

/* Desktops send batches with a `telemetry:write` token (docs/api.md, Telemetry). */
router
  .group(() => {
    readsOwnBody(
      router
        .post('/telemetry/batch', [Batches, 'store'])
        .as('telemetry.api.batches.store')
        .use(middleware.ability({ ability: 'telemetry:write' }))
    )
  })
  .prefix('/api/v1')
  .use([middleware.auth({ guards: ['api'] }), middleware.apiTenant()])

/* The update check is public: installers ask before anyone signs in. */
router
  .get('/api/v1/releases/latest', [LatestReleases, 'show'])
  .as('telemetry.api.latest_releases.show')

/* A company's own installations and usage. */
router
  .get('/companies/:companyId/telemetry', [Installations, 'index'])
  .as('telemetry.installations.index')
  .where('companyId', idMatcher)
  .use([middleware.auth(), middleware.company()])

/* Platform admins: the dashboard, issues, logs, exports and releases. */
if (modulesConfig.isEnabled('admin')) {
  router
    .group(() => {
      router.get('/', [Dashboard, 'index']).as('telemetry.dashboard.index')
      router.get('/issues', [Issues, 'index']).as('telemetry.issues.index')
      router.get('/issues/:id', [Issues, 'show']).as('telemetry.issues.show')
      router
        .put('/issues/:id/status', [IssueStatuses, 'update'])
        .as('telemetry.issue_statuses.update')
      router.get('/events', [Events, 'index']).as('telemetry.events.index')
      router.get('/events/export', [EventExports, 'show']).as('telemetry.event_exports.show')
      router.get('/releases', [Releases, 'index']).as('telemetry.releases.index')
      router.post('/releases', [Releases, 'store']).as('telemetry.releases.store')
      router.put('/releases/:id', [Releases, 'update']).as('telemetry.releases.update')
      router.post('/releases/:id/halt', [ReleaseHalts, 'store']).as('telemetry.release_halts.store')
      router
        .delete('/releases/:id/halt', [ReleaseHalts, 'destroy'])
        .as('telemetry.release_halts.destroy')
    })
    .prefix('/admin/telemetry')
    .where('id', idMatcher)
    .use([middleware.auth(), middleware.admin()])
}
