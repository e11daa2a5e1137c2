import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { updatePasswordValidator } from '#accounts/validators/user'
import { AccountService } from '#accounts/services/account_service'

/* Changing the password while signed in (the current one is required). */
@inject()
export default class PasswordsController {
  constructor(private account: AccountService) {}

  async update({ request, response, auth, session }: HttpContext) {
    const payload = await request.validateUsing(updatePasswordValidator)
    const user = auth.getUserOrFail()
    await this.account.changePassword(user, payload)
    /* This browser stays signed in: a fresh session with the new password's fingerprint. */
    await auth.use('web').login(user)
    session.flash('success', 'Password changed.')
    return response.redirect().toRoute('accounts.profile.edit')
  }
}
