import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import logger from '@adonisjs/core/services/logger'
import type { MailResponse } from '@adonisjs/mail'
import { JSONTransport } from '@adonisjs/mail/transports/json'
import type { MailTransportContract, NodeMailerMessage } from '@adonisjs/mail/types'

/*
| Local mail: the message is rendered exactly as SMTP would send it, logged (to, subject, links)
| and written to a folder as JSON, so a developer can open password-reset and invitation links
| without a mail server.
*/
export class LogTransport implements MailTransportContract {
  #json = new JSONTransport()

  constructor(private options: { directory?: string } = {}) {}

  async send(message: NodeMailerMessage): Promise<MailResponse<unknown>> {
    const response = await this.#json.send(message)
    const text = typeof message.text === 'string' ? message.text : ''
    logger.info(
      {
        to: response.envelope.to,
        subject: message.subject,
        links: text.match(/https?:\/\/\S+/g) ?? [],
      },
      'mail written to the log transport'
    )
    if (this.options.directory) {
      await mkdir(this.options.directory, { recursive: true })
      const name = `${Date.now()}-${response.messageId.replace(/[^\w.-]/g, '_')}.json`
      await writeFile(join(this.options.directory, name), (response.original as any).message)
    }
    return response
  }
}
