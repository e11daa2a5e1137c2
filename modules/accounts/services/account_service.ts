import db from '@adonisjs/lucid/services/db'
import hash from '@adonisjs/core/services/hash'
import User from '#accounts/models/user'
import UserDeleted from '#accounts/events/user_deleted'
import CredentialsChanged from '#accounts/events/credentials_changed'
import { EmailVerificationService } from '#accounts/services/email_verification_service'
import { normalizeEmail } from '#accounts/services/registration_service'
import { ApiError } from '#app/exceptions/api_error'

/* A person managing their own account: profile, password, deletion. */
export class AccountService {
  /*
  | The name changes at once. A new email needs the current password and is only a request:
  | the address must confirm it (see EmailVerificationService), and the current one is told.
  */
  async updateProfile(
    user: User,
    input: { fullName: string | null; email: string; currentPassword?: string }
  ) {
    user.fullName = input.fullName
    await user.save()
    const email = normalizeEmail(input.email)
    if (email === user.email) return { emailChangeRequested: false }

    await this.#confirmPassword(user, input.currentPassword ?? '', 'currentPassword')
    if (await User.query().where('email', email).whereNot('id', user.id).first()) {
      throw ApiError.invalid('E_EMAIL_TAKEN', 'An account with this email already exists', 'email')
    }
    await new EmailVerificationService().requestChange(user, email)
    return { emailChangeRequested: true }
  }

  async changePassword(user: User, input: { currentPassword: string; password: string }) {
    await this.#confirmPassword(user, input.currentPassword, 'currentPassword')
    user.password = input.password
    await user.save()
    /* Other browsers (remembered or not) must sign in again with the new password. */
    await db.from('remember_me_tokens').where('tokenable_id', user.id).delete()
    await CredentialsChanged.dispatch({ userId: user.id, reason: 'changed' })
  }

  /*
  | Deletes the account. Companies the person is alone in go with it; a company where they are
  | the last owner but not the last member blocks deletion (ownership must be handed over).
  */
  async delete(user: User, password: string) {
    await this.#confirmPassword(user, password, 'password')
    await deleteUser(user)
  }

  async #confirmPassword(user: User, password: string, field: string) {
    if (!(await hash.verify(user.password, password))) {
      throw ApiError.invalid('E_INVALID_PASSWORD', 'The password is not correct', field)
    }
  }
}

export async function deleteUser(user: User) {
  const blocking = await db
    .from('memberships as m')
    .join('companies as c', 'c.id', 'm.company_id')
    .where('m.user_id', user.id)
    .where('m.role', 'owner')
    .whereNotExists((query) =>
      query
        .from('memberships as o')
        .whereColumn('o.company_id', 'm.company_id')
        .where('o.role', 'owner')
        .whereNot('o.user_id', user.id)
    )
    .whereExists((query) =>
      query
        .from('memberships as x')
        .whereColumn('x.company_id', 'm.company_id')
        .whereNot('x.user_id', user.id)
    )
    .select('c.name')
  if (blocking.length) {
    throw ApiError.conflict(
      'E_LAST_OWNER',
      `You are the last owner of ${blocking.map((row) => row.name).join(', ')}. Make someone else owner or delete the company first.`
    )
  }
  await db.transaction(async (trx) => {
    const solo = await trx
      .from('memberships as m')
      .where('m.user_id', user.id)
      .whereNotExists((query) =>
        query
          .from('memberships as x')
          .whereColumn('x.company_id', 'm.company_id')
          .whereNot('x.user_id', user.id)
      )
      .select('m.company_id')
    await trx.from('users').where('id', user.id).delete()
    if (solo.length)
      await trx
        .from('companies')
        .whereIn(
          'id',
          solo.map((row) => row.company_id)
        )
        .delete()
  })
  await UserDeleted.dispatch({ userId: user.id, email: user.email })
}
