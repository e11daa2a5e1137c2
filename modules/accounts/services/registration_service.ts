import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import User from '#accounts/models/user'
import Company from '#accounts/models/company'
import Membership from '#accounts/models/membership'
import UserRegistered from '#accounts/events/user_registered'
import { ApiError } from '#app/exceptions/api_error'

export type RegisterInput = {
  email: string
  password: string
  fullName?: string | null
  /** Skip the personal company (the person joins an invited company instead). */
  withoutPersonalCompany?: boolean
  companyName?: string
  emailVerified?: boolean
  isAdmin?: boolean
}

export const normalizeEmail = (email: string) => email.trim().toLowerCase()

/* Creates an account and, unless it joins an invitation, the personal company it owns. */
export class RegistrationService {
  async register(input: RegisterInput) {
    const email = normalizeEmail(input.email)
    if (await User.findBy('email', email)) {
      throw ApiError.invalid('E_EMAIL_TAKEN', 'An account with this email already exists', 'email')
    }

    const created = await db.transaction(async (trx) => {
      const user = await User.create(
        {
          email,
          password: input.password,
          fullName: input.fullName ?? null,
          isAdmin: input.isAdmin ?? false,
          emailVerifiedAt: input.emailVerified ? DateTime.now() : null,
        },
        { client: trx }
      )
      if (input.withoutPersonalCompany) return { user, company: null }

      const company = await Company.create(
        {
          name: input.companyName ?? `${user.displayName}'s company`,
          personal: !input.companyName,
        },
        { client: trx }
      )
      await Membership.create(
        { companyId: company.id, userId: user.id, role: 'owner' },
        { client: trx }
      )
      user.currentCompanyId = company.id
      await user.useTransaction(trx).save()
      return { user, company }
    })

    await UserRegistered.dispatch(created.user, created.company)
    return created
  }
}
