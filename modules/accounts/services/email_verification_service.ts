import { DateTime } from 'luxon'
import mail from '@adonisjs/mail/services/main'
import User from '#accounts/models/user'
import VerifyEmailNotification from '#accounts/mails/verify_email_notification'
import EmailChangeNotification from '#accounts/mails/email_change_notification'
import EmailChangeAlert from '#accounts/mails/email_change_alert'
import { signedRouteUrl } from '#app/helpers/urls'
import { hashSecret } from '#app/helpers/secrets'
import { ApiError } from '#app/exceptions/api_error'

/*
| Proving an address. Links are signed URLs (24 h) that embed a hash of the address they were
| sent to, so a link stops working once the address it proves is no longer the one in question.
| A new address only replaces the current one when it is confirmed; the old one is told.
*/
export class EmailVerificationService {
  emailFingerprint(email: string) {
    return hashSecret(email).slice(0, 16)
  }

  linkFor(user: User) {
    return signedRouteUrl(
      'accounts.email_verifications.show',
      { id: user.id },
      {
        qs: { email: this.emailFingerprint(user.email) },
        expiresIn: '24h',
        purpose: 'verify-email',
      }
    )
  }

  changeLinkFor(user: User) {
    return signedRouteUrl(
      'accounts.email_changes.show',
      { id: user.id },
      {
        qs: { email: this.emailFingerprint(user.pendingEmail!) },
        expiresIn: '24h',
        purpose: 'change-email',
      }
    )
  }

  async send(user: User) {
    if (user.emailVerifiedAt) return
    await mail.sendLater(
      new VerifyEmailNotification({ email: user.email, name: user.displayName }, this.linkFor(user))
    )
  }

  /** Marks the address verified when the link matches it; false for a stale link. */
  async verify(user: User, fingerprint: string) {
    if (fingerprint !== this.emailFingerprint(user.email)) return false
    if (!user.emailVerifiedAt) {
      user.emailVerifiedAt = DateTime.now()
      await user.save()
    }
    return true
  }

  async requestChange(user: User, newEmail: string) {
    user.pendingEmail = newEmail
    await user.save()
    await mail.sendLater(
      new EmailChangeNotification(
        { email: newEmail, name: user.displayName },
        this.changeLinkFor(user)
      )
    )
    await mail.sendLater(
      new EmailChangeAlert({ email: user.email, name: user.displayName, newEmail })
    )
  }

  /** Switches to the pending address the link proves; false for a stale or superseded link. */
  async confirmChange(user: User, fingerprint: string) {
    if (!user.pendingEmail || fingerprint !== this.emailFingerprint(user.pendingEmail)) return false
    if (await User.query().where('email', user.pendingEmail).whereNot('id', user.id).first()) {
      throw ApiError.invalid('E_EMAIL_TAKEN', 'An account with this email already exists', 'email')
    }
    user.merge({ email: user.pendingEmail, pendingEmail: null, emailVerifiedAt: DateTime.now() })
    await user.save()
    return true
  }
}
