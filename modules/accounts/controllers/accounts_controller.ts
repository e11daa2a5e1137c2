import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { deleteAccountValidator } from '#accounts/validators/user'
import { AccountService } from '#accounts/services/account_service'

/* Deleting your own account (password confirmed). */
@inject()
export default class AccountsController {
  constructor(private account: AccountService) {}

  async destroy({ request, response, auth, session, inertia }: HttpContext) {
    const { password } = await request.validateUsing(deleteAccountValidator)
    await this.account.delete(auth.getUserOrFail(), password)
    await auth.use('web').logout()
    inertia.clearHistory()
    session.clear()
    session.regenerate()
    session.flash('success', 'Your account has been deleted.')
    return response.redirect().toRoute('accounts.landing.show')
  }
}
