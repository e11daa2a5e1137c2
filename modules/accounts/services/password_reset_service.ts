import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import limiter from '@adonisjs/limiter/services/main'
import mail from '@adonisjs/mail/services/main'
import User from '#accounts/models/user'
import PasswordResetToken from '#accounts/models/password_reset_token'
import ResetPasswordNotification from '#accounts/mails/reset_password_notification'
import { normalizeEmail } from '#accounts/services/registration_service'
import { routeUrl } from '#app/helpers/urls'
import { hashSecret, newSecret } from '#app/helpers/secrets'
import { ApiError } from '#app/exceptions/api_error'
import CredentialsChanged from '#accounts/events/credentials_changed'

/*
| Forgot / reset password. Requests never reveal whether an account exists. A reset link works
| once, for 60 minutes, and using it signs the account out everywhere.
*/
export class PasswordResetService {
  async request(email: string) {
    const user = await User.findBy('email', normalizeEmail(email))
    if (!user || user.isDisabled) return
    /* At most 3 reset mails an hour per account, silently: the answer must not differ. */
    const perAccount = limiter.use({ requests: 3, duration: '1 hour' })
    const sent = await perAccount.increment(`password-reset:user:${user.id}`)
    if (sent.consumed > sent.limit) return

    const { secret, hash } = newSecret()
    await PasswordResetToken.query().where('userId', user.id).delete()
    await PasswordResetToken.create({
      userId: user.id,
      hash,
      expiresAt: DateTime.now().plus({ minutes: 60 }),
    })
    const url = routeUrl('accounts.password_resets.edit', { token: secret })
    await mail.sendLater(
      new ResetPasswordNotification({ email: user.email, name: user.displayName }, url)
    )
  }

  async findValid(secret: string) {
    const token = await PasswordResetToken.findBy('hash', hashSecret(secret))
    if (!token || token.expiresAt < DateTime.now()) return null
    return token
  }

  async reset(secret: string, password: string) {
    const token = await this.findValid(secret)
    if (!token) {
      throw ApiError.invalid(
        'E_INVALID_RESET_TOKEN',
        'This reset link is invalid or has expired',
        'token'
      )
    }
    /*
    | A reset is account recovery: assume someone else had access. Remembered browsers, other
    | sessions (their fingerprint no longer matches) and every API token are signed out.
    */
    const user = await db.transaction(async (trx) => {
      const owner = await User.findOrFail(token.userId, { client: trx })
      owner.password = password
      await owner.save()
      await PasswordResetToken.query({ client: trx }).where('userId', owner.id).delete()
      await trx.from('remember_me_tokens').where('tokenable_id', owner.id).delete()
      await trx.from('auth_access_tokens').where('tokenable_id', owner.id).delete()
      return owner
    })
    await CredentialsChanged.dispatch({ userId: user.id, reason: 'reset' })
    return user
  }
}
