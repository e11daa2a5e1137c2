import { inject } from '@adonisjs/core'
import hash from '@adonisjs/core/services/hash'
import User from '#accounts/models/user'
import { LoginThrottle } from '#accounts/services/login_throttle'
import { ApiError } from '#app/exceptions/api_error'

/*
| Checks an email + password for the web login and the desktop token endpoint alike: throttled
| per account and IP, refused for disabled accounts, and hashes made with older parameters are
| upgraded on the spot (the plain password is only available at this moment).
*/
@inject()
export class CredentialsService {
  constructor(private throttle: LoginThrottle) {}

  async verify(email: string, password: string, ip: string) {
    const normalized = email.trim().toLowerCase()
    const user = await this.throttle.attempt(normalized, ip, () =>
      User.verifyCredentials(normalized, password)
    )
    if (user.isDisabled) throw ApiError.forbidden('This account is disabled', 'E_ACCOUNT_DISABLED')
    if (hash.needsReHash(user.password)) {
      user.password = password
      await user.save()
    }
    return user
  }
}
