import app from '@adonisjs/core/services/app'
import type MemberLeft from '#accounts/events/member_left'
import { RoomMembersService } from '#rooms/services/room_members_service'

/* Someone left a company: they leave its rooms, and their open connections leave with them. */
export default class ForgetRoomMember {
  async handle(event: MemberLeft) {
    const members = await app.container.make(RoomMembersService)
    await members.forget(event.payload.companyId, event.payload.userId)
  }
}
