import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import modulesConfig from '#config/modules'

const Health = () => import('#ops/controllers/health_controller')
const Metrics = () => import('#ops/controllers/metrics_controller')
const System = () => import('#ops/controllers/admin/system_controller')
const Retries = () => import('#ops/controllers/admin/failed_job_retries_controller')
const QueueJobs = () => import('#ops/controllers/admin/queue_jobs_controller')
const Cleanings = () => import('#ops/controllers/admin/queue_cleanings_controller')

/* Probes and metrics: no session, no cookies, no CSRF (see app/http/stateless.ts). */
router.get('/health/live', [Health, 'live']).as('ops.health.live')
router.get('/health/ready', [Health, 'ready']).as('ops.health.ready')
router.get('/metrics', [Metrics, 'show']).as('ops.metrics.show')

const queueName = { match: /^[a-z0-9_-]{1,64}$/ }
const jobId = { match: /^[A-Za-z0-9:_-]{1,128}$/ }

/* The System page belongs to the admin area (and records to its audit log). */
if (modulesConfig.isEnabled('admin')) {
  router
    .group(() => {
      router.get('/', [System, 'show']).as('ops.system.show')
      router
        .post('/queues/:queue/jobs/:id/retry', [Retries, 'store'])
        .as('ops.failed_job_retries.store')
      router.delete('/queues/:queue/jobs/:id', [QueueJobs, 'destroy']).as('ops.queue_jobs.destroy')
      router.post('/queues/:queue/cleanings', [Cleanings, 'store']).as('ops.queue_cleanings.store')
    })
    .prefix('/admin/system')
    .where('queue', queueName)
    .where('id', jobId)
    .use([middleware.auth(), middleware.admin()])
}
