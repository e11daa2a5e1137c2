import { BaseMail } from '@adonisjs/mail'
import { renderMail } from '#app/mail/layout'

/* Sent to the current address when someone asks to move the account to another one. */
export default class EmailChangeAlert extends BaseMail {
  subject = 'Your Tandem email address is about to change'

  constructor(private to: { email: string; name: string; newEmail: string }) {
    super()
  }

  prepare() {
    const { html, text } = renderMail({
      heading: 'Email change requested',
      lines: [
        `Someone signed in to your account asked to change its email to ${this.to.newEmail}.`,
        'The change happens only if that address confirms it. If this was not you, reset your password now: that signs everyone else out.',
      ],
    })
    this.message.to(this.to.email, this.to.name).html(html).text(text)
  }
}
