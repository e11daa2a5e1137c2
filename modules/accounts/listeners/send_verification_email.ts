import type UserRegistered from '#accounts/events/user_registered'
import { EmailVerificationService } from '#accounts/services/email_verification_service'

export default class SendVerificationEmail {
  async handle(event: UserRegistered) {
    await new EmailVerificationService().send(event.user)
  }
}
