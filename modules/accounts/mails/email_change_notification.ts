import { BaseMail } from '@adonisjs/mail'
import { renderMail } from '#app/mail/layout'

/* Sent to the new address: the account switches to it only once this link is opened. */
export default class EmailChangeNotification extends BaseMail {
  subject = 'Confirm your new email address'

  constructor(
    private to: { email: string; name: string },
    public url: string
  ) {
    super()
  }

  prepare() {
    const { html, text } = renderMail({
      heading: 'Confirm your new email address',
      lines: [
        `Open the link to sign in to Tandem with ${this.to.email} from now on. It is valid for 24 hours.`,
      ],
      action: { label: 'Confirm new address', url: this.url },
      footer: "If you didn't ask for this, ignore this mail: nothing changes.",
    })
    this.message.to(this.to.email, this.to.name).html(html).text(text)
  }
}
