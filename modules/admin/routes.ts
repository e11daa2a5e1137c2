import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { idMatcher } from '#app/helpers/ids'

const Users = () => import('#admin/controllers/users_controller')
const Disablements = () => import('#admin/controllers/users/disablements_controller')
const Companies = () => import('#admin/controllers/companies_controller')
const AuditLogs = () => import('#admin/controllers/audit_logs_controller')

router
  .group(() => {
    router
      .get('/', ({ response }) => response.redirect().toRoute('admin.users.index'))
      .as('admin.home')
    router.get('/users', [Users, 'index']).as('admin.users.index')
    router.get('/users/:id', [Users, 'show']).as('admin.users.show').where('id', idMatcher)
    router.delete('/users/:id', [Users, 'destroy']).as('admin.users.destroy').where('id', idMatcher)
    router
      .post('/users/:id/disablement', [Disablements, 'store'])
      .where('id', idMatcher)
      .as('admin.disablements.store')
    router
      .delete('/users/:id/disablement', [Disablements, 'destroy'])
      .where('id', idMatcher)
      .as('admin.disablements.destroy')
    router.get('/companies', [Companies, 'index']).as('admin.companies.index')
    router
      .get('/companies/:id', [Companies, 'show'])
      .as('admin.companies.show')
      .where('id', idMatcher)
    router.get('/audit-log', [AuditLogs, 'index']).as('admin.audit_logs.index')
  })
  .prefix('/admin')
  .use([middleware.auth(), middleware.admin()])
