import { BaseMail } from '@adonisjs/mail'
import { renderMail } from '#app/mail/layout'

export default class VerifyEmailNotification extends BaseMail {
  subject = 'Confirm your email address'

  constructor(
    private to: { email: string; name: string },
    public url: string
  ) {
    super()
  }

  prepare() {
    const { html, text } = renderMail({
      heading: `Welcome, ${this.to.name}`,
      lines: ['Please confirm that this is your email address. The link is valid for 24 hours.'],
      action: { label: 'Confirm email', url: this.url },
      footer: "If you didn't create a Tandem account, you can ignore this mail.",
    })
    this.message.to(this.to.email, this.to.name).html(html).text(text)
  }
}
