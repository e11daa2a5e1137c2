import db from '@adonisjs/lucid/services/db'
import Membership from '#accounts/models/membership'
import MemberLeft from '#accounts/events/member_left'
import { can, type Role } from '#accounts/services/roles'
import { ApiError } from '#app/exceptions/api_error'

/*
| Role changes and departures. Invariants: a company always keeps at least one owner, only
| owners create, demote or remove owners, and a member's API tokens for a company die with
| the membership.
*/
export class MembershipsService {
  list(companyId: number) {
    return Membership.query()
      .where('companyId', companyId)
      .preload('user')
      .orderBy('createdAt', 'asc')
      .orderBy('id', 'asc')
  }

  async find(companyId: number, membershipId: number) {
    const membership = await Membership.query()
      .where({ companyId, id: membershipId })
      .preload('user')
      .first()
    if (!membership) throw ApiError.notFound('Member not found')
    return membership
  }

  async changeRole(actor: Membership, target: Membership, role: Role) {
    if ((role === 'owner' || target.role === 'owner') && !can(actor.role, 'owners:manage')) {
      throw ApiError.forbidden('Only owners can grant or change the owner role')
    }
    await db.transaction(async (trx) => {
      await this.#lockOwners(trx, target.companyId)
      if (target.role === 'owner' && role !== 'owner') await this.#ensureAnotherOwner(trx, target)
      target.role = role
      await target.useTransaction(trx).save()
    })
    return target
  }

  /** Removes someone else (`removed`) or yourself (`left`). */
  async remove(actor: Membership, target: Membership) {
    const leaving = actor.id === target.id
    if (!leaving && target.role === 'owner' && !can(actor.role, 'owners:manage')) {
      throw ApiError.forbidden('Only owners can remove an owner')
    }
    await db.transaction(async (trx) => {
      await this.#lockOwners(trx, target.companyId)
      if (target.role === 'owner') await this.#ensureAnotherOwner(trx, target)
      await trx
        .from('auth_access_tokens')
        .where({ tokenable_id: target.userId, company_id: target.companyId })
        .delete()
      await trx
        .from('users')
        .where({ id: target.userId, current_company_id: target.companyId })
        .update({ current_company_id: null })
      await target.useTransaction(trx).delete()
    })
    await MemberLeft.dispatch({
      companyId: target.companyId,
      userId: target.userId,
      reason: leaving ? 'left' : 'removed',
    })
  }

  /*
  | Two owners demoting each other at the same moment must not leave the company ownerless:
  | the owner rows are locked (row locks on PostgreSQL/MySQL; SQLite serializes writers).
  */
  async #lockOwners(trx: any, companyId: number) {
    const query = trx.from('memberships').where({ company_id: companyId, role: 'owner' })
    if (trx.dialect.name !== 'better-sqlite3' && trx.dialect.name !== 'sqlite3') query.forUpdate()
    await query
  }

  async #ensureAnotherOwner(trx: any, target: Membership) {
    const others = await trx
      .from('memberships')
      .where({ company_id: target.companyId, role: 'owner' })
      .whereNot('id', target.id)
      .count('* as total')
    if (Number(others[0].total) === 0) {
      throw ApiError.conflict(
        'E_LAST_OWNER',
        'A company needs at least one owner: make someone else owner first'
      )
    }
  }
}
