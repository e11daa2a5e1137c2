import db from '@adonisjs/lucid/services/db'
import Company from '#accounts/models/company'
import Membership from '#accounts/models/membership'
import type User from '#accounts/models/user'
import MemberJoined from '#accounts/events/member_joined'
import MemberLeft from '#accounts/events/member_left'
import { ApiError } from '#app/exceptions/api_error'

/* Creating, renaming, deleting and switching companies. Authorization happens in the caller. */
export class CompaniesService {
  async create(owner: User, name: string) {
    const membership = await db.transaction(async (trx) => {
      const company = await Company.create({ name, personal: false }, { client: trx })
      const created = await Membership.create(
        { companyId: company.id, userId: owner.id, role: 'owner' },
        { client: trx }
      )
      owner.currentCompanyId = company.id
      await owner.useTransaction(trx).save()
      created.$setRelated('company', company)
      return created
    })
    await MemberJoined.dispatch(membership)
    return membership.company
  }

  async rename(company: Company, name: string) {
    company.name = name
    company.personal = false
    await company.save()
    return company
  }

  async delete(company: Company) {
    const memberIds = await Membership.query().where('companyId', company.id).select('userId')
    await company.delete()
    for (const { userId } of memberIds) {
      await MemberLeft.dispatch({ companyId: company.id, userId, reason: 'company_deleted' })
    }
  }

  /** Makes a company the user's current one; 404 for a company they are not a member of. */
  async switchTo(user: User, companyId: number) {
    const membership = await Membership.query().where({ userId: user.id, companyId }).first()
    if (!membership) throw ApiError.notFound('Company not found')
    user.currentCompanyId = companyId
    await user.save()
  }

  /** The user's current company, falling back to their oldest membership when unset or stale. */
  async current(user: User) {
    const memberships = await this.membershipsOf(user)
    const current =
      memberships.find((m) => m.companyId === user.currentCompanyId) ?? memberships[0] ?? null
    if (current && current.companyId !== user.currentCompanyId) {
      user.currentCompanyId = current.companyId
      await user.save()
    }
    return { current, memberships }
  }

  membershipsOf(user: User) {
    return Membership.query()
      .where('userId', user.id)
      .preload('company')
      .orderBy('createdAt', 'asc')
      .orderBy('id', 'asc')
  }
}
