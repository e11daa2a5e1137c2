import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { createInvitationValidator } from '#accounts/validators/company'
import { InvitationsService } from '#accounts/services/invitations_service'

/* A company's invitations: send and revoke (the list is on the members page). */
@inject()
export default class InvitationsController {
  constructor(private invitations: InvitationsService) {}

  async store({ request, response, tenant, auth, session }: HttpContext) {
    tenant.authorize('members:invite')
    const payload = await request.validateUsing(createInvitationValidator)
    await this.invitations.invite(tenant.membership, tenant.company, auth.getUserOrFail(), payload)
    session.flash('success', `Invitation sent to ${payload.email}.`)
    return response.redirect().toRoute('accounts.members.index', { companyId: tenant.companyId })
  }

  async destroy({ response, tenant, params, session }: HttpContext) {
    tenant.authorize('members:invite')
    const invitation = await this.invitations.find(tenant.companyId, Number(params.id))
    this.invitations.authorize(tenant.membership, invitation)
    await this.invitations.revoke(invitation)
    session.flash('success', `Invitation for ${invitation.email} revoked.`)
    return response.redirect().toRoute('accounts.members.index', { companyId: tenant.companyId })
  }
}
