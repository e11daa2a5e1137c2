import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { InvitationsService } from '#accounts/services/invitations_service'

/*
| The link in the invitation mail. Signed-out visitors are offered sign-up (the address is
| prefilled) or log-in; signed-in people with the invited address can accept.
*/
@inject()
export default class AcceptancesController {
  constructor(private invitations: InvitationsService) {}

  async show({ inertia, params, auth }: HttpContext) {
    const invitation = await this.invitations.findByToken(params.token)
    return inertia.render('accounts/invitations/show', {
      token: params.token,
      invitation: invitation
        ? {
            email: invitation.email,
            role: invitation.role,
            companyName: invitation.company.name,
            invitedBy: invitation.invitedBy?.displayName ?? null,
            expiresAt: invitation.expiresAt.toISO(),
          }
        : null,
      signedInAs: auth.user?.email ?? null,
    })
  }

  async store({ params, response, auth, session }: HttpContext) {
    const invitation = await this.invitations.accept(params.token, auth.getUserOrFail())
    session.flash('success', `You joined ${invitation.company.name}.`)
    return response.redirect().toRoute('accounts.dashboard.show')
  }
}
