import type { HttpContext } from '@adonisjs/core/http'

export default class LandingController {
  async show({ inertia, auth, response }: HttpContext) {
    if (auth.user) return response.redirect().toRoute('accounts.dashboard.show')
    return inertia.render('accounts/landing/show', {})
  }
}
