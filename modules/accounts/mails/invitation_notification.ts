import { BaseMail } from '@adonisjs/mail'
import { renderMail } from '#app/mail/layout'

export default class InvitationNotification extends BaseMail {
  constructor(
    private invitation: { email: string; companyName: string; inviterName: string; role: string },
    public url: string
  ) {
    super()
    this.subject = `${invitation.inviterName} invited you to ${invitation.companyName} on Tandem`
  }

  prepare() {
    const { html, text } = renderMail({
      heading: `Join ${this.invitation.companyName}`,
      lines: [
        `${this.invitation.inviterName} invited you to join ${this.invitation.companyName} as ${this.invitation.role}.`,
        "If you don't have a Tandem account yet, the link lets you create one. It is valid for 7 days.",
      ],
      action: { label: 'Accept invitation', url: this.url },
    })
    this.message.to(this.invitation.email).html(html).text(text)
  }
}
