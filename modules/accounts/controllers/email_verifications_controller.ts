import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import User from '#accounts/models/user'
import { EmailVerificationService } from '#accounts/services/email_verification_service'

@inject()
export default class EmailVerificationsController {
  constructor(private verifications: EmailVerificationService) {}

  /* The link from the mail: signed, so it works without being signed in. */
  async show({ request, params, response, session }: HttpContext) {
    const user = request.hasValidSignature('verify-email') ? await User.find(params.id) : null
    const verified = user
      ? await this.verifications.verify(user, String(request.qs().email ?? ''))
      : false
    session.flash(
      verified ? 'success' : 'error',
      verified ? 'Your email is confirmed.' : 'This link is invalid or has expired.'
    )
    return response.redirect().toRoute('accounts.dashboard.show')
  }

  /* "Send the mail again". */
  async store({ auth, response, session }: HttpContext) {
    await this.verifications.send(auth.getUserOrFail())
    session.flash('success', 'We sent you a new confirmation link.')
    return response.redirect().back()
  }
}
