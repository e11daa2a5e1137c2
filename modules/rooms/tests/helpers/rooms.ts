import app from '@adonisjs/core/services/app'
import type { Socket } from 'socket.io-client'
import type { Group } from '@japa/runner/core'
import User from '#accounts/models/user'
import type Company from '#accounts/models/company'
import { createCompanyWithOwner, createMember } from '#accounts/database/factories/user_factory'
import type { Role } from '#accounts/services/roles'
import { RoomsService, type Visibility } from '#rooms/services/rooms_service'
import { RoomsSettings } from '#rooms/services/rooms_settings'
import { connect, connected, testServerUrl } from '#tests/helpers/realtime'

/* A bearer token for a user in a company (rooms:join unless told otherwise). */
export async function tokenFor(user: User, company: Company, abilities = ['rooms:join']) {
  const token = await User.accessTokens.create(user, abilities, { companyId: company.id })
  return token.value!.release()
}

export async function team() {
  const { company, owner } = await createCompanyWithOwner({ fullName: 'Ada Owner' })
  const { user: member } = await createMember(company, 'member', { fullName: 'Bo Member' })
  return { company, owner, member }
}

export async function roomFor(
  company: Company,
  user: User,
  input: { name?: string; visibility?: Visibility; role?: Role } = {}
) {
  const rooms = await app.container.make(RoomsService)
  return rooms.create(
    { userId: user.id, companyId: company.id, role: input.role ?? 'owner' },
    { name: input.name ?? 'Design', visibility: input.visibility ?? 'public' }
  )
}

/* Socket.IO clients on /rooms, disconnected after each test of the group. */
export function roomSockets(group: Group, url: () => string = testServerUrl) {
  const sockets: Socket[] = []
  group.each.teardown(() => {
    sockets.splice(0).forEach((socket) => socket.disconnect())
  })
  return async (options: Parameters<typeof connect>[1] & { base?: string }) => {
    const socket = connect(`${options.base ?? url()}/rooms`, options)
    sockets.push(socket)
    await connected(socket)
    return socket
  }
}

/** Emits with an acknowledgement and returns the server's answer. */
export function ask<T = any>(socket: Socket, event: string, payload: Record<string, unknown>) {
  return socket.timeout(5000).emitWithAck(event, payload) as Promise<T>
}

/* Small limits for the rules' tests; restored by the returned function. */
export function swapSettings(changes: Partial<RoomsSettings>) {
  const settings = Object.assign(new RoomsSettings(), changes)
  app.container.swap(RoomsSettings, () => settings)
  return () => app.container.restore(RoomsSettings)
}
