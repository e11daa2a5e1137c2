import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { idMatcher } from '#app/helpers/ids'
import modulesConfig from '#config/modules'

const Tasks = () => import('#tasks/controllers/tasks_controller')
const Cancellations = () => import('#tasks/controllers/tasks/cancellations_controller')
const Results = () => import('#tasks/controllers/tasks/results_controller')
const AdminTasks = () => import('#tasks/controllers/admin/tasks_controller')
const AdminCancellations = () => import('#tasks/controllers/admin/cancellations_controller')
const ApiTasks = () => import('#tasks/controllers/api/tasks_controller')

/* Company tasks (web). */
router
  .group(() => {
    router.get('/tasks', [Tasks, 'index']).as('tasks.tasks.index')
    router.get('/tasks/:id', [Tasks, 'show']).as('tasks.tasks.show')
    router.post('/tasks/:id/cancellation', [Cancellations, 'store']).as('tasks.cancellations.store')
    router.get('/tasks/:id/result', [Results, 'show']).as('tasks.results.show')
  })
  .prefix('/companies/:companyId')
  .where('companyId', idMatcher)
  .where('id', idMatcher)
  .use([middleware.auth(), middleware.company()])

/* Every task, for platform admins (part of the admin area, so only with the admin module). */
if (modulesConfig.isEnabled('admin')) {
  router
    .group(() => {
      router.get('/tasks', [AdminTasks, 'index']).as('tasks.admin_tasks.index')
      router
        .post('/tasks/:id/cancellation', [AdminCancellations, 'store'])
        .as('tasks.admin_cancellations.store')
    })
    .prefix('/admin')
    .where('id', idMatcher)
    .use([middleware.auth(), middleware.admin()])
}

/* Public API: desktops follow the tasks they started. */
router
  .group(() => {
    router
      .get('/tasks', [ApiTasks, 'index'])
      .as('tasks.api.tasks.index')
      .use(middleware.ability({ ability: 'tasks:read' }))
    router
      .get('/tasks/:id', [ApiTasks, 'show'])
      .as('tasks.api.tasks.show')
      .use(middleware.ability({ ability: 'tasks:read' }))
    router
      .get('/tasks/:id/result', [Results, 'show'])
      .as('tasks.api.results.show')
      .use(middleware.ability({ ability: 'tasks:read' }))
    router
      .post('/tasks/:id/cancellation', [Cancellations, 'store'])
      .as('tasks.api.cancellations.store')
      .use(middleware.ability({ ability: 'tasks:write' }))
  })
  .prefix('/api/v1')
  .where('id', idMatcher)
  .use([middleware.auth({ guards: ['api'] }), middleware.apiTenant()])
