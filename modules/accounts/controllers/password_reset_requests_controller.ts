import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { forgotPasswordValidator } from '#accounts/validators/user'
import { PasswordResetService } from '#accounts/services/password_reset_service'

/* "Forgot password": always the same answer, whether or not the account exists. */
@inject()
export default class PasswordResetRequestsController {
  constructor(private resets: PasswordResetService) {}

  async create({ inertia }: HttpContext) {
    return inertia.render('accounts/password_reset_requests/create', {})
  }

  async store({ request, response, session }: HttpContext) {
    const { email } = await request.validateUsing(forgotPasswordValidator)
    await this.resets.request(email)
    session.flash('success', 'If an account exists for this address, a reset link is on its way.')
    return response.redirect().toRoute('accounts.sessions.create')
  }
}
