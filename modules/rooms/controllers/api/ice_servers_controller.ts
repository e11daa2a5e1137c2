import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { IceServers } from '#rooms/services/ice_servers'

/* GET /api/v1/rooms/ice-servers: STUN, and TURN credentials that expire (coturn REST scheme). */
@inject()
export default class IceServersController {
  constructor(private ice: IceServers) {}

  async show({ auth, response }: HttpContext) {
    response.header('cache-control', 'no-store')
    return this.ice.for(auth.user!.id)
  }
}
