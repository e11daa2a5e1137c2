import type { HttpContext } from '@adonisjs/core/http'
import vine from '@vinejs/vine'
import Membership from '#accounts/models/membership'
import { paginateByCursor } from '#app/helpers/cursor'

const listValidator = vine.create({
  limit: vine.number().withoutDecimals().min(1).max(100).optional(),
  cursor: vine.string().maxLength(200).optional(),
})

/* GET /api/v1/members: the token's company members, cursor-paginated (needs `members:read`). */
export default class MembersController {
  async index({ request, tenant }: HttpContext) {
    tenant.authorize('members:view')
    const { limit, cursor } = await request.validateUsing(listValidator, { data: request.qs() })
    const query = Membership.query().where('companyId', tenant.companyId).preload('user')
    const page = await paginateByCursor(query, { limit: limit ?? 50, cursor })
    return {
      data: page.rows.map((m) => ({
        id: m.id,
        role: m.role,
        joinedAt: m.createdAt.toISO(),
        user: { id: m.user.id, email: m.user.email, fullName: m.user.fullName },
      })),
      nextCursor: page.nextCursor,
    }
  }
}
