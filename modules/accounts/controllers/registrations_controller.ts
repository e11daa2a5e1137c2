import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { signupValidator } from '#accounts/validators/user'
import { RegistrationService } from '#accounts/services/registration_service'
import { InvitationsService } from '#accounts/services/invitations_service'

/* Sign-up. With an invitation token the new account joins that company instead of getting its own. */
@inject()
export default class RegistrationsController {
  constructor(
    private registrations: RegistrationService,
    private invitations: InvitationsService
  ) {}

  async create({ inertia, request }: HttpContext) {
    const token = request.qs().invitation as string | undefined
    const invitation = token ? await this.invitations.findByToken(token) : null
    return inertia.render('accounts/registrations/create', {
      invitation: invitation
        ? { token, email: invitation.email, companyName: invitation.company.name }
        : null,
    })
  }

  async store({ request, response, auth, session }: HttpContext) {
    const payload = await request.validateUsing(signupValidator)
    const invitation = payload.invitation
      ? await this.invitations.findByToken(payload.invitation)
      : null
    const joinsInvitation = invitation?.email === payload.email

    const { user } = await this.registrations.register({
      ...payload,
      withoutPersonalCompany: joinsInvitation,
    })
    await auth.use('web').login(user)
    if (joinsInvitation) {
      await this.invitations.accept(payload.invitation!, user)
      session.flash('success', `Welcome! You joined ${invitation!.company.name}.`)
    } else {
      session.flash('success', 'Welcome to Tandem! Check your inbox to confirm your email.')
    }
    return response.redirect().toRoute('accounts.dashboard.show')
  }
}
