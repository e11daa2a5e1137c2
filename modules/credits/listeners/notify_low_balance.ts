import mail from '@adonisjs/mail/services/main'
import app from '@adonisjs/core/services/app'
import Company from '#accounts/models/company'
import { Realtime } from '#app/realtime/realtime'
import { routeUrl } from '#app/helpers/urls'
import LowBalanceNotification from '#credits/mails/low_balance_notification'
import type LowBalanceReached from '#credits/events/low_balance_reached'

/*
| LowBalanceReached: every owner gets a mail and, in every open tab and desktop of theirs,
| a `credits.low_balance` event (the app shows it as a warning).
*/
export default class NotifyLowBalance {
  async handle(event: LowBalanceReached) {
    const company = await Company.find(event.companyId)
    if (!company) return
    await company.load('memberships', (query) => query.where('role', 'owner').preload('user'))
    const url = routeUrl('credits.credits.index', { companyId: company.id })
    const realtime = await app.container.make(Realtime)
    for (const { user } of company.memberships) {
      await mail.sendLater(
        new LowBalanceNotification(
          { email: user.email, name: user.fullName ?? user.email },
          { name: company.name, available: event.available, threshold: event.threshold, url }
        )
      )
      realtime.toUser(user.id).emit('credits.low_balance', {
        companyId: company.id,
        available: event.available,
        threshold: event.threshold,
      })
    }
  }
}
