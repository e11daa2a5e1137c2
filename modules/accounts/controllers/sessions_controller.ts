import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { loginValidator } from '#accounts/validators/user'
import { CredentialsService } from '#accounts/services/credentials_service'
import AccessRevoked from '#accounts/events/access_revoked'
import { isLocalPath } from '#app/helpers/urls'

/* Log in and out of the web UI. The session id is rotated on both. */
@inject()
export default class SessionsController {
  constructor(private credentials: CredentialsService) {}

  async create({ inertia, request }: HttpContext) {
    return inertia.render('accounts/sessions/create', { redirect: request.qs().redirect ?? null })
  }

  async store({ request, response, auth }: HttpContext) {
    const { email, password, remember } = await request.validateUsing(loginValidator)
    const user = await this.credentials.verify(email, password, request.ip())

    await auth.use('web').login(user, Boolean(remember))
    const redirect = request.input('redirect')
    return isLocalPath(redirect)
      ? response.redirect(redirect)
      : response.redirect().toRoute('accounts.dashboard.show')
  }

  async destroy({ auth, response, session, inertia }: HttpContext) {
    const userId = auth.getUserOrFail().id
    await AccessRevoked.dispatch({ kind: 'session', userId, sessionId: session.sessionId })
    await auth.use('web').logout()
    inertia.clearHistory()
    session.clear()
    session.regenerate()
    return response.redirect().toRoute('accounts.sessions.create')
  }
}
