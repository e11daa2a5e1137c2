import { DateTime } from 'luxon'
import mail from '@adonisjs/mail/services/main'
import type User from '#accounts/models/user'
import VerifyEmailNotification from '#accounts/mails/verify_email_notification'
import { signedRouteUrl } from '#app/helpers/urls'
import { hashSecret } from '#app/helpers/secrets'

/*
| Verification links are signed URLs (24 h) that embed a hash of the address, so a link sent
| to an old address stops working once the email changes.
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
}
