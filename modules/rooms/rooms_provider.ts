import MemberLeft from '#accounts/events/member_left'
import { ModuleProvider } from '#app/modules/module_provider'
import type { Realtime } from '#app/realtime/realtime'
import { grant } from '#accounts/services/roles'
import { RoomsSettings } from '#rooms/services/rooms_settings'
import { ROOMS_NAMESPACE } from '#rooms/services/rooms_broadcast'
import { RoomsGateway } from '#rooms/services/rooms_gateway'
import openapi from '#rooms/openapi'

const ForgetRoomMember = () => import('#rooms/listeners/forget_room_member')

/*
| Rooms: chat, presence, a shared focus timer and WebRTC calls for a company's teams, over the
| `/rooms` Socket.IO namespace and /api/v1/rooms (docs/adr/0009-rooms.md).
*/
export default class RoomsProvider extends ModuleProvider {
  routes = () => import('#rooms/routes')

  navigation = [
    {
      section: 'company' as const,
      label: 'Rooms',
      route: 'rooms.rooms.index',
      icon: 'chat',
      order: 5,
    },
  ]

  register() {
    this.app.container.singleton(RoomsSettings, () => new RoomsSettings())
    grant('rooms:manage', ['owner', 'admin'])
  }

  async boot() {
    const emitter = await this.app.container.make('emitter')
    emitter.on(MemberLeft, [ForgetRoomMember])
  }

  realtime(realtime: Realtime) {
    realtime.namespace(ROOMS_NAMESPACE, (namespace) => new RoomsGateway(this.app).attach(namespace))
  }

  openapi() {
    return openapi
  }
}
