import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { updateProfileValidator } from '#accounts/validators/user'
import { AccountService } from '#accounts/services/account_service'

@inject()
export default class ProfileController {
  constructor(private account: AccountService) {}

  async edit({ inertia, auth }: HttpContext) {
    const user = auth.getUserOrFail()
    return inertia.render('accounts/profile/edit', {
      profile: {
        fullName: user.fullName,
        email: user.email,
        pendingEmail: user.pendingEmail,
        emailVerified: user.emailVerifiedAt !== null,
      },
    })
  }

  async update({ request, response, auth, session }: HttpContext) {
    const payload = await request.validateUsing(updateProfileValidator)
    const { emailChangeRequested } = await this.account.updateProfile(auth.getUserOrFail(), {
      fullName: payload.fullName ?? null,
      email: payload.email,
      currentPassword: payload.currentPassword,
    })
    session.flash(
      'success',
      emailChangeRequested
        ? `Profile saved. Open the link we sent to ${payload.email} to switch to it.`
        : 'Profile saved.'
    )
    return response.redirect().toRoute('accounts.profile.edit')
  }
}
