import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import User from '#accounts/models/user'
import { EmailVerificationService } from '#accounts/services/email_verification_service'
import { ApiError } from '#app/exceptions/api_error'

/* The link sent to a new address: switches the account to it. */
@inject()
export default class EmailChangesController {
  constructor(private verifications: EmailVerificationService) {}

  async show({ request, params, response, session }: HttpContext) {
    const user = request.hasValidSignature('change-email') ? await User.find(params.id) : null
    try {
      const changed = user
        ? await this.verifications.confirmChange(user, String(request.qs().email ?? ''))
        : false
      session.flash(
        changed ? 'success' : 'error',
        changed ? `You now sign in with ${user!.email}.` : 'This link is invalid or has expired.'
      )
    } catch (error) {
      if (!(error instanceof ApiError)) throw error
      session.flash('error', error.message)
    }
    return response.redirect().toRoute('accounts.profile.edit')
  }
}
