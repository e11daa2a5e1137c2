import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Membership from '#accounts/models/membership'
import MemberLeft from '#accounts/events/member_left'
import AccessRevoked from '#accounts/events/access_revoked'
import { can, type Role } from '#accounts/services/roles'
import { ApiError } from '#app/exceptions/api_error'
import { isDbId } from '#app/helpers/ids'

/*
| Role changes and departures. Invariants: a company always keeps at least one owner, only
| owners create, demote or remove owners, and a member's API tokens for a company die with
| the membership. Every rule is checked inside the transaction, on rows read under lock, so two
| owners demoting each other at the same moment cannot leave the company without one.
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
    if (!isDbId(membershipId)) throw ApiError.notFound('Member not found')
    const membership = await Membership.query()
      .where({ companyId, id: membershipId })
      .preload('user')
      .first()
    if (!membership) throw ApiError.notFound('Member not found')
    return membership
  }

  async changeRole(actor: Membership, target: Membership, role: Role) {
    await db.transaction(async (trx) => {
      const { acting, current } = await this.#lock(trx, actor, target)
      if ((role === 'owner' || current.role === 'owner') && !can(acting.role, 'owners:manage')) {
        throw ApiError.forbidden('Only owners can grant or change the owner role')
      }
      if (current.role === 'owner' && role !== 'owner') await this.#ensureAnotherOwner(trx, current)
      current.role = role
      await current.useTransaction(trx).save()
    })
    target.role = role
    return target
  }

  /** Removes someone else (`removed`) or yourself (`left`). */
  async remove(actor: Membership, target: Membership) {
    const leaving = actor.id === target.id
    const tokenIds = await db.transaction(async (trx) => {
      const { acting, current } = await this.#lock(trx, actor, target)
      if (!leaving && current.role === 'owner' && !can(acting.role, 'owners:manage')) {
        throw ApiError.forbidden('Only owners can remove an owner')
      }
      if (current.role === 'owner') await this.#ensureAnotherOwner(trx, current)
      const tokens = trx
        .from('auth_access_tokens')
        .where({ tokenable_id: current.userId, company_id: current.companyId })
      const rows: Array<{ id: number }> = await tokens.clone().select('id')
      const ids = rows.map((row) => Number(row.id))
      await tokens.delete()
      await trx
        .from('users')
        .where({ id: current.userId, current_company_id: current.companyId })
        .update({ current_company_id: null })
      await current.useTransaction(trx).delete()
      return ids
    })
    await MemberLeft.dispatch({
      companyId: target.companyId,
      userId: target.userId,
      reason: leaving ? 'left' : 'removed',
    })
    for (const tokenId of tokenIds)
      await AccessRevoked.dispatch({ kind: 'token', userId: target.userId, tokenId })
  }

  /*
  | Locks the company's owner rows and re-reads both memberships inside the transaction (row
  | locks on PostgreSQL/MySQL; SQLite serializes writers). A membership gone meanwhile is a 404.
  */
  async #lock(trx: TransactionClientContract, actor: Membership, target: Membership) {
    const sqlite = ['better-sqlite3', 'sqlite3'].includes(trx.dialect.name)
    const owners = trx.from('memberships').where({ company_id: target.companyId, role: 'owner' })
    if (!sqlite) owners.forUpdate()
    await owners
    const read = (id: number) => {
      const query = Membership.query({ client: trx }).where({ id, companyId: target.companyId })
      if (!sqlite) query.forUpdate()
      return query.first()
    }
    const [acting, current] = [await read(actor.id), await read(target.id)]
    if (!acting || !current) throw ApiError.notFound('Member not found')
    return { acting, current }
  }

  async #ensureAnotherOwner(trx: TransactionClientContract, target: Membership) {
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

/** The user's role in the company, or null when they are not a member (for other modules' checks). */
export async function membershipRole(companyId: number, userId: number): Promise<Role | null> {
  const membership = await Membership.query().where({ companyId, userId }).select('role').first()
  return membership?.role ?? null
}
