import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { idMatcher } from '#app/helpers/ids'

const Rooms = () => import('#rooms/controllers/rooms_controller')
const Archives = () => import('#rooms/controllers/rooms/archives_controller')
const Memberships = () => import('#rooms/controllers/rooms/memberships_controller')
const Members = () => import('#rooms/controllers/rooms/members_controller')
const ApiRooms = () => import('#rooms/controllers/api/rooms_controller')
const ApiMessages = () => import('#rooms/controllers/api/rooms/messages_controller')
const ApiMemberships = () => import('#rooms/controllers/api/rooms/memberships_controller')
const ApiMembers = () => import('#rooms/controllers/api/rooms/members_controller')
const IceServers = () => import('#rooms/controllers/api/ice_servers_controller')

/* The company's rooms (web); chat, presence, timer and calls run over the /rooms socket. */
router
  .group(() => {
    router.get('/rooms', [Rooms, 'index']).as('rooms.rooms.index')
    router.post('/rooms', [Rooms, 'store']).as('rooms.rooms.store')
    router.get('/rooms/:id', [Rooms, 'show']).as('rooms.rooms.show')
    router.put('/rooms/:id', [Rooms, 'update']).as('rooms.rooms.update')
    router.post('/rooms/:id/archive', [Archives, 'store']).as('rooms.archives.store')
    router.delete('/rooms/:id/archive', [Archives, 'destroy']).as('rooms.archives.destroy')
    router.post('/rooms/:id/membership', [Memberships, 'store']).as('rooms.memberships.store')
    router.delete('/rooms/:id/membership', [Memberships, 'destroy']).as('rooms.memberships.destroy')
    router.post('/rooms/:id/members', [Members, 'store']).as('rooms.members.store')
    router.delete('/rooms/:id/members/:userId', [Members, 'destroy']).as('rooms.members.destroy')
  })
  .prefix('/companies/:companyId')
  .where('companyId', idMatcher)
  .where('id', idMatcher)
  .where('userId', idMatcher)
  .use([middleware.auth(), middleware.company()])

/* Public API for desktops (docs/api.md, Rooms): the token's company, ability rooms:join. */
router
  .group(() => {
    router.get('/ice-servers', [IceServers, 'show']).as('rooms.api.ice_servers.show')
    router.get('/', [ApiRooms, 'index']).as('rooms.api.rooms.index')
    router.post('/', [ApiRooms, 'store']).as('rooms.api.rooms.store').use(middleware.idempotent())
    router.get('/:id', [ApiRooms, 'show']).as('rooms.api.rooms.show')
    router.patch('/:id', [ApiRooms, 'update']).as('rooms.api.rooms.update')
    router.post('/:id/membership', [ApiMemberships, 'store']).as('rooms.api.memberships.store')
    router
      .delete('/:id/membership', [ApiMemberships, 'destroy'])
      .as('rooms.api.memberships.destroy')
    router.get('/:id/members', [ApiMembers, 'index']).as('rooms.api.members.index')
    router.post('/:id/members', [ApiMembers, 'store']).as('rooms.api.members.store')
    router.delete('/:id/members/:userId', [ApiMembers, 'destroy']).as('rooms.api.members.destroy')
    router.get('/:id/messages', [ApiMessages, 'index']).as('rooms.api.messages.index')
    router
      .post('/:id/messages', [ApiMessages, 'store'])
      .as('rooms.api.messages.store')
      .use(middleware.idempotent())
    router
      .patch('/:id/messages/:messageId', [ApiMessages, 'update'])
      .as('rooms.api.messages.update')
    router
      .delete('/:id/messages/:messageId', [ApiMessages, 'destroy'])
      .as('rooms.api.messages.destroy')
  })
  .prefix('/api/v1/rooms')
  .where('id', idMatcher)
  .where('userId', idMatcher)
  .where('messageId', idMatcher)
  .use([
    middleware.auth({ guards: ['api'] }),
    middleware.apiTenant(),
    middleware.ability({ ability: 'rooms:join' }),
  ])
