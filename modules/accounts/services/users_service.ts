import { DateTime } from 'luxon'
import app from '@adonisjs/core/services/app'
import { Realtime } from '#app/realtime/realtime'
import User from '#accounts/models/user'
import { RegistrationService, normalizeEmail } from '#accounts/services/registration_service'
import { deleteUser } from '#accounts/services/account_service'
import { ApiError } from '#app/exceptions/api_error'
import AccessRevoked from '#accounts/events/access_revoked'

/*
| Platform-level user management, used by the admin module and by operators' Ace commands.
| It never checks who is asking: callers (admin middleware, the CLI) have done that.
*/
export class UsersService {
  async create(input: {
    email: string
    password: string
    fullName?: string | null
    companyName?: string
    admin?: boolean
  }) {
    return new RegistrationService().register({
      email: input.email,
      password: input.password,
      fullName: input.fullName,
      companyName: input.companyName,
      isAdmin: input.admin ?? false,
      emailVerified: true,
    })
  }

  async findByEmail(email: string) {
    const user = await User.findBy('email', normalizeEmail(email))
    if (!user) throw ApiError.notFound(`No user with email ${email}`)
    return user
  }

  async setAdmin(user: User, isAdmin: boolean) {
    user.isAdmin = isAdmin
    await user.save()
    /* Open admin pages stop receiving platform-wide pushes (the telemetry feed) at once. */
    if (!isAdmin) {
      const realtime = await app.container.make(Realtime)
      realtime.leaveAdmins(user.id)
    }
    return user
  }

  /** A disabled user cannot sign in, their sessions end and their API tokens stop working. */
  async setDisabled(user: User, disabled: boolean) {
    user.disabledAt = disabled ? DateTime.now() : null
    await user.save()
    if (disabled) await AccessRevoked.dispatch({ kind: 'user', userId: user.id })
    return user
  }

  search(term: string | undefined, page: number, perPage = 25) {
    const query = User.query().orderBy('id', 'desc')
    if (term) {
      const like = `%${term.trim().toLowerCase()}%`
      query.where((q) =>
        q.whereRaw('lower(email) like ?', [like]).orWhereRaw('lower(full_name) like ?', [like])
      )
    }
    return query.paginate(page, perPage)
  }

  delete(user: User) {
    return deleteUser(user)
  }
}
