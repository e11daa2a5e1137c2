import { BaseCommand, args, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/* Grants (or with --revoke removes) platform-admin rights; written to the audit log. */
export default class UsersPromote extends BaseCommand {
  static commandName = 'users:promote'
  static description = 'Make a user a platform admin'
  static options: CommandOptions = { startApp: true }

  @args.string({ description: 'Email address of the user' })
  declare email: string

  @flags.boolean({ description: 'Remove platform-admin rights instead' })
  declare revoke?: boolean

  async run() {
    const { UsersService } = await import('#accounts/services/users_service')
    const { AuditLogService } = await import('#admin/services/audit_log_service')
    const users = new UsersService()
    try {
      const user = await users.findByEmail(this.email)
      const before = { isAdmin: user.isAdmin }
      await users.setAdmin(user, !this.revoke)
      await new AuditLogService().record({
        actor: null,
        action: this.revoke ? 'user.admin_revoked' : 'user.admin_granted',
        subject: { type: 'user', id: user.id, label: user.email },
        before,
        after: { isAdmin: user.isAdmin },
        ip: 'cli',
      })
      this.logger.success(
        `${user.email} is ${user.isAdmin ? 'now a platform admin' : 'no longer a platform admin'}`
      )
    } catch (failure: any) {
      this.logger.error(failure.message)
      this.exitCode = 1
    }
  }
}
