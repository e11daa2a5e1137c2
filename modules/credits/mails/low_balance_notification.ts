import { BaseMail } from '@adonisjs/mail'
import { renderMail } from '#app/mail/layout'

/* To each owner, once each time the available credits drop below the company's threshold. */
export default class LowBalanceNotification extends BaseMail {
  constructor(
    private to: { email: string; name: string },
    private company: { name: string; available: number; threshold: number; url: string }
  ) {
    super()
    this.subject = `${company.name} is running low on credits`
  }

  prepare() {
    const { html, text } = renderMail({
      heading: 'Credits are running low',
      lines: [
        `${this.company.name} has ${this.company.available} credits available, below the ${this.company.threshold} you asked to be warned at.`,
        'Add credits before they run out: desktops cannot spend what is not there.',
      ],
      action: { label: 'See credits', url: this.company.url },
      footer:
        'You receive this because you own this company. Change the threshold on the credits page.',
    })
    this.message.to(this.to.email, this.to.name).html(html).text(text)
  }
}
