import type { MailManager } from '@adonisjs/mail'
import type { MailerMessenger } from '@adonisjs/mail/types'
import type { QueueService } from '#app/queue/queue'

/*
| `mail.sendLater(…)` goes through Tandem's queue (job `app/send_mail` on the `mail` queue)
| instead of @adonisjs/mail's in-memory one: a queued mail survives a restart, is retried with
| backoff when the SMTP server fails, and shows on the System page when it gives up.
|
| The compiled message travels as JSON. Attachments given as Buffers become base64 strings;
| streams cannot be queued (use a path, a URL or a Buffer).
*/
export type CompiledMail = Parameters<MailerMessenger['queue']>[0]

export type SendMailPayload = { mailer: string; mail: CompiledMail; config?: unknown }

export class UnqueueableMailError extends Error {
  code = 'E_MAIL_NOT_QUEUEABLE'
}

export function serializableMail(mail: CompiledMail): CompiledMail {
  const attachments = mail.message.attachments?.map((attachment) => {
    const content = attachment.content as unknown
    if (Buffer.isBuffer(content)) {
      return { ...attachment, content: content.toString('base64'), encoding: 'base64' }
    }
    if (content !== null && typeof content === 'object' && 'pipe' in content) {
      throw new UnqueueableMailError(
        `Attachment "${attachment.filename ?? 'unnamed'}" is a stream: a queued mail needs a path, a URL or a Buffer`
      )
    }
    return attachment
  })
  return attachments ? { ...mail, message: { ...mail.message, attachments } } : mail
}

export function queueMailThrough(mail: MailManager<any>, queue: () => Promise<QueueService>) {
  mail.setMessenger((mailer) => ({
    async queue(compiled, config) {
      const { default: SendMail } = await import('#app/jobs/send_mail')
      const service = await queue()
      return service.dispatch(SendMail, {
        mailer: mailer.name,
        mail: serializableMail(compiled),
        config,
      })
    },
  }))
}
