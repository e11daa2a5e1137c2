import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { InvitationsService } from '#accounts/services/invitations_service'

@inject()
export default class ResendsController {
  constructor(private invitations: InvitationsService) {}

  async store({ response, tenant, params, auth, session }: HttpContext) {
    tenant.authorize('members:invite')
    const invitation = await this.invitations.find(tenant.companyId, Number(params.id))
    this.invitations.authorize(tenant.membership, invitation)
    await this.invitations.resend(invitation, tenant.company, auth.getUserOrFail())
    session.flash('success', `Invitation sent again to ${invitation.email}.`)
    return response.redirect().toRoute('accounts.members.index', { companyId: tenant.companyId })
  }
}
