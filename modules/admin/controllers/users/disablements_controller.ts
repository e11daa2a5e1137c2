import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import User from '#accounts/models/user'
import { UsersService } from '#accounts/services/users_service'
import { AuditLogService } from '#admin/services/audit_log_service'
import { snapshotUser } from '#admin/services/snapshots'
import { dbIdOr404 } from '#app/helpers/ids'
import { ApiError } from '#app/exceptions/api_error'

/* Disabling (store) and re-enabling (destroy) a user, each written to the audit log. */
@inject()
export default class DisablementsController {
  constructor(
    private users: UsersService,
    private audit: AuditLogService
  ) {}

  async store(ctx: HttpContext) {
    return this.#set(ctx, true)
  }

  async destroy(ctx: HttpContext) {
    return this.#set(ctx, false)
  }

  async #set({ params, auth, request, response, session }: HttpContext, disabled: boolean) {
    const user = await User.findOrFail(dbIdOr404(params.id))
    if (disabled && user.id === auth.user!.id) {
      throw ApiError.invalid('E_CANNOT_DISABLE_SELF', 'You cannot disable your own account', 'user')
    }
    const before = snapshotUser(user)
    await this.users.setDisabled(user, disabled)
    await this.audit.record({
      actor: auth.user!,
      action: disabled ? 'user.disabled' : 'user.enabled',
      subject: { type: 'user', id: user.id, label: user.email },
      before,
      after: snapshotUser(user),
      ip: request.ip(),
      requestId: request.id(),
    })
    session.flash('success', `${user.email} is ${disabled ? 'disabled' : 'enabled again'}.`)
    return response.redirect().toRoute('admin.users.show', { id: user.id })
  }
}
