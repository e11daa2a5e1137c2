import { DateTime } from 'luxon'
import factory from '@adonisjs/lucid/factories'
import User from '#accounts/models/user'
import Company from '#accounts/models/company'
import Membership from '#accounts/models/membership'
import type { Role } from '#accounts/services/roles'

export const PASSWORD = 'correct horse battery staple'

let sequence = 0

export const UserFactory = factory
  .define(User, ({ faker }) => ({
    email: `${faker.internet
      .username()
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '')}.${++sequence}@example.test`,
    fullName: faker.person.fullName(),
    password: PASSWORD,
    emailVerifiedAt: DateTime.now(),
  }))
  .state('unverified', (user) => (user.emailVerifiedAt = null))
  .state('admin', (user) => (user.isAdmin = true))
  .build()

export const CompanyFactory = factory
  .define(Company, ({ faker }) => ({ name: faker.company.name().slice(0, 100), personal: false }))
  .build()

/* A user who belongs to `company` with `role`, with it as their current company. */
export async function createMember(
  company: Company,
  role: Role = 'member',
  attributes: Partial<User> = {}
) {
  const user = await UserFactory.merge({ ...attributes, currentCompanyId: company.id }).create()
  const membership = await Membership.create({ companyId: company.id, userId: user.id, role })
  return { user, membership }
}

/* A company with an owner: the usual starting point of a test. */
export async function createCompanyWithOwner(attributes: Partial<User> = {}) {
  const company = await CompanyFactory.create()
  const { user, membership } = await createMember(company, 'owner', attributes)
  return { company, owner: user, membership }
}
