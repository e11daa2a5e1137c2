import app from '@adonisjs/core/services/app'
import { Job, type JobContext } from '#app/queue/job'
import type { SendMailPayload } from '#app/mail/queued_mail'

/*
| Sends one mail queued with `mail.sendLater` (see app/mail/queued_mail.ts) through the mailer it
| was queued for. Its own queue, so a worker can be dedicated to mail (`queue:work -q mail`);
| retried for about 10 minutes when the transport fails.
*/
export default class SendMail extends Job<SendMailPayload> {
  static queue = 'mail'
  static attempts = 6
  static backoff = { type: 'exponential' as const, delay: 20_000 }
  static timeout = 120_000

  async handle(payload: SendMailPayload, ctx: JobContext) {
    const manager = await app.container.make('mail.manager')
    const response = await manager
      .use(payload.mailer as any)
      .sendCompiled(payload.mail, payload.config)
    ctx.logger.info({ messageId: response.messageId, mailer: payload.mailer }, 'mail sent')
    return { messageId: response.messageId }
  }
}
