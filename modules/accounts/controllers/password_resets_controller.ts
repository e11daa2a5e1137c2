import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { resetPasswordValidator } from '#accounts/validators/user'
import { PasswordResetService } from '#accounts/services/password_reset_service'

@inject()
export default class PasswordResetsController {
  constructor(private resets: PasswordResetService) {}

  async edit({ inertia, params }: HttpContext) {
    const valid = Boolean(await this.resets.findValid(params.token))
    return inertia.render('accounts/password_resets/edit', { token: params.token, valid })
  }

  async update({ request, response, params, auth, session }: HttpContext) {
    const { password } = await request.validateUsing(resetPasswordValidator)
    const user = await this.resets.reset(params.token, password)
    await auth.use('web').login(user)
    session.flash('success', 'Your password has been changed.')
    return response.redirect().toRoute('accounts.dashboard.show')
  }
}
