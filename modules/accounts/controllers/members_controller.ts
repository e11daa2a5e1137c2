import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { updateMemberValidator } from '#accounts/validators/company'
import { MembershipsService } from '#accounts/services/memberships_service'
import { InvitationsService } from '#accounts/services/invitations_service'
import { assignableRoles } from '#accounts/services/roles'

@inject()
export default class MembersController {
  constructor(
    private memberships: MembershipsService,
    private invitations: InvitationsService
  ) {}

  async index({ inertia, tenant, auth }: HttpContext) {
    tenant.authorize('members:view')
    const members = await this.memberships.list(tenant.companyId)
    const invitations = tenant.can('members:invite')
      ? await this.invitations.pending(tenant.companyId)
      : []
    return inertia.render('accounts/members/index', {
      company: tenant.company.serializeForApi(),
      me: {
        membershipId: tenant.membership.id,
        userId: auth.getUserOrFail().id,
        role: tenant.role,
      },
      can: {
        invite: tenant.can('members:invite'),
        manage: tenant.can('members:manage'),
        manageOwners: tenant.can('owners:manage'),
      },
      assignableRoles: assignableRoles(tenant.role),
      members: members.map((m) => ({
        id: m.id,
        role: m.role,
        joinedAt: m.createdAt.toISO(),
        user: { id: m.user.id, email: m.user.email, name: m.user.displayName },
      })),
      invitations: invitations.map((i) => ({
        id: i.id,
        email: i.email,
        role: i.role,
        sentAt: i.sentAt.toISO(),
        expiresAt: i.expiresAt.toISO(),
        expired: !i.isPending,
        invitedBy: i.invitedBy?.displayName ?? null,
      })),
    })
  }

  async update({ request, response, tenant, params, session }: HttpContext) {
    tenant.authorize('members:manage')
    const { role } = await request.validateUsing(updateMemberValidator)
    const target = await this.memberships.find(tenant.companyId, Number(params.id))
    await this.memberships.changeRole(tenant.membership, target, role)
    session.flash('success', `${target.user.displayName} is now ${role}.`)
    return response.redirect().toRoute('accounts.members.index', { companyId: tenant.companyId })
  }

  /* Removing someone needs `members:manage`; removing yourself is leaving, which anyone may do. */
  async destroy({ response, tenant, params, session }: HttpContext) {
    const target = await this.memberships.find(tenant.companyId, Number(params.id))
    const leaving = target.id === tenant.membership.id
    if (!leaving) tenant.authorize('members:manage')
    await this.memberships.remove(tenant.membership, target)
    if (leaving) {
      session.flash('success', `You left ${tenant.company.name}.`)
      return response.redirect().toRoute('accounts.dashboard.show')
    }
    session.flash('success', `${target.user.displayName} was removed.`)
    return response.redirect().toRoute('accounts.members.index', { companyId: tenant.companyId })
  }
}
