import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig, transports } from '@adonisjs/mail'
import type { InferMailers } from '@adonisjs/mail/types'
import { LogTransport } from '#app/mail/log_transport'

/* Locally mail goes to the log (and storage/mail/); production sends through SMTP. */
const smtpUser = env.get('SMTP_USERNAME')

const mailConfig = defineConfig({
  default: env.get('MAIL_MAILER', 'log'),
  from: {
    address: env.get('MAIL_FROM_ADDRESS', 'no-reply@tandem.local'),
    name: env.get('MAIL_FROM_NAME', 'Tandem'),
  },
  mailers: {
    log: () =>
      new LogTransport({ directory: app.inTest ? undefined : app.makePath('storage/mail') }),
    smtp: transports.smtp({
      host: env.get('SMTP_HOST', 'localhost'),
      port: env.get('SMTP_PORT', 587),
      secure: env.get('SMTP_SECURE', env.get('SMTP_PORT') === 465),
      ...(smtpUser
        ? { auth: { type: 'login' as const, user: smtpUser, pass: env.get('SMTP_PASSWORD', '') } }
        : {}),
    }),
  },
})

export default mailConfig

declare module '@adonisjs/mail/types' {
  export interface MailersList extends InferMailers<typeof mailConfig> {}
}
