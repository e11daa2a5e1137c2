import { BaseMail } from '@adonisjs/mail'
import { renderMail } from '#app/mail/layout'

export default class ResetPasswordNotification extends BaseMail {
  subject = 'Reset your password'

  constructor(
    private to: { email: string; name: string },
    public url: string
  ) {
    super()
  }

  prepare() {
    const { html, text } = renderMail({
      heading: 'Reset your password',
      lines: [
        'Someone asked to reset the password of your Tandem account. The link works once, for 60 minutes.',
      ],
      action: { label: 'Choose a new password', url: this.url },
      footer: "If it wasn't you, ignore this mail: your password stays the same.",
    })
    this.message.to(this.to.email, this.to.name).html(html).text(text)
  }
}
