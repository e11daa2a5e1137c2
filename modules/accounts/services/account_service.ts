import db from '@adonisjs/lucid/services/db'
import hash from '@adonisjs/core/services/hash'
import User from '#accounts/models/user'
import UserDeleted from '#accounts/events/user_deleted'
import MemberLeft from '#accounts/events/member_left'
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

/*
| Deletes an account with its solo companies. Every company it belongs to is read under lock
| inside the transaction, so an owner deleting their account while the co-owner leaves cannot
| leave a company with members and no owner.
*/
export async function deleteUser(user: User) {
  const shared = await db.transaction(async (trx) => {
    const sqlite = ['better-sqlite3', 'sqlite3'].includes(trx.dialect.name)
    const memberships: Array<{ company_id: number; role: string }> = await trx
      .from('memberships')
      .where('user_id', user.id)
      .select('company_id', 'role')
    const solo: number[] = []
    const others: number[] = []
    const blocking: number[] = []
    for (const membership of memberships) {
      const query = trx
        .from('memberships')
        .where('company_id', membership.company_id)
        .select('user_id', 'role')
      if (!sqlite) query.forUpdate()
      const members: Array<{ user_id: number; role: string }> = await query
      const rest = members.filter((row) => Number(row.user_id) !== user.id)
      if (rest.length === 0) solo.push(membership.company_id)
      else others.push(membership.company_id)
      if (
        rest.length &&
        membership.role === 'owner' &&
        !rest.some((row: { role: string }) => row.role === 'owner')
      ) {
        blocking.push(membership.company_id)
      }
    }
    if (blocking.length) {
      const names = await trx.from('companies').whereIn('id', blocking).select('name')
      throw ApiError.conflict(
        'E_LAST_OWNER',
        `You are the last owner of ${names.map((row: { name: string }) => row.name).join(', ')}. Make someone else owner or delete the company first.`
      )
    }
    await trx.from('users').where('id', user.id).delete()
    if (solo.length) await trx.from('companies').whereIn('id', solo).delete()
    return others
  })
  for (const companyId of shared) {
    await MemberLeft.dispatch({
      companyId: Number(companyId),
      userId: user.id,
      reason: 'account_deleted',
    })
  }
  await UserDeleted.dispatch({ userId: user.id, email: user.email })
}
