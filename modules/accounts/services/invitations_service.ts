import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import mail from '@adonisjs/mail/services/main'
import Invitation from '#accounts/models/invitation'
import Membership from '#accounts/models/membership'
import type Company from '#accounts/models/company'
import type User from '#accounts/models/user'
import MemberJoined from '#accounts/events/member_joined'
import InvitationNotification from '#accounts/mails/invitation_notification'
import { normalizeEmail } from '#accounts/services/registration_service'
import { assignableRoles, type Role } from '#accounts/services/roles'
import { routeUrl } from '#app/helpers/urls'
import { hashSecret, newSecret } from '#app/helpers/secrets'
import { ApiError } from '#app/exceptions/api_error'
import { isDbId } from '#app/helpers/ids'

const VALID_FOR = { days: 7 }

/* A timestamp written by a bulk update, in the format the dialect stores (as models do). */
const stamp = (trx: { dialect: { dateTimeFormat?: string } }, time: DateTime) =>
  time.toFormat(trx.dialect.dateTimeFormat ?? 'yyyy-MM-dd HH:mm:ss')

/*
| Invitations by email. The link works for people without an account (they sign up, then
| join) and is bound to the invited address: accepting needs an account with that email.
*/
export class InvitationsService {
  pending(companyId: number) {
    return Invitation.query()
      .where('companyId', companyId)
      .whereNull('acceptedAt')
      .preload('invitedBy')
      .orderBy('createdAt', 'desc')
  }

  async find(companyId: number, invitationId: number) {
    if (!isDbId(invitationId)) throw ApiError.notFound('Invitation not found')
    const invitation = await Invitation.query()
      .where({ companyId, id: invitationId })
      .whereNull('acceptedAt')
      .first()
    if (!invitation) throw ApiError.notFound('Invitation not found')
    return invitation
  }

  async invite(
    actor: Membership,
    company: Company,
    inviter: User,
    input: { email: string; role: Role }
  ) {
    const email = normalizeEmail(input.email)
    if (!assignableRoles(actor.role).includes(input.role)) {
      throw ApiError.forbidden('Only owners can invite owners')
    }
    const member = await Membership.query()
      .where('companyId', company.id)
      .whereHas('user', (query) => query.where('email', email))
      .first()
    if (member) throw ApiError.invalid('E_ALREADY_MEMBER', `${email} is already a member`, 'email')
    const existing = await Invitation.query()
      .where({ companyId: company.id, email })
      .whereNull('acceptedAt')
      .first()
    if (existing)
      throw ApiError.invalid(
        'E_ALREADY_INVITED',
        `${email} already has a pending invitation`,
        'email'
      )

    const { secret, hash } = newSecret()
    const invitation = await Invitation.create({
      companyId: company.id,
      email,
      role: input.role,
      tokenHash: hash,
      invitedById: inviter.id,
      expiresAt: DateTime.now().plus(VALID_FOR),
      sentAt: DateTime.now(),
    })
    await this.#mail(invitation, company, inviter, secret)
    return invitation
  }

  /** Sends a fresh link (the previous one stops working) and extends the expiry. */
  async resend(invitation: Invitation, company: Company, inviter: User) {
    const { secret, hash } = newSecret()
    invitation.merge({
      tokenHash: hash,
      expiresAt: DateTime.now().plus(VALID_FOR),
      sentAt: DateTime.now(),
    })
    await invitation.save()
    await this.#mail(invitation, company, inviter, secret)
    return invitation
  }

  async revoke(invitation: Invitation) {
    await invitation.delete()
  }

  /** The pending, unexpired invitation behind a link, with its company. */
  async findByToken(secret: string) {
    const invitation = await Invitation.query()
      .where('tokenHash', hashSecret(secret))
      .preload('company')
      .preload('invitedBy')
      .first()
    return invitation?.isPending ? invitation : null
  }

  /*
  | Claims the invitation with a conditional update (only one request can flip `accepted_at`),
  | then adds the membership, in one transaction: a double click or a revoke at the same moment
  | never yields two memberships, a 500, or a revoked invitation that still lets someone in.
  */
  async accept(secret: string, user: User) {
    const invitation = await this.findByToken(secret)
    if (!invitation) throw ApiError.notFound('This invitation is invalid, expired or already used')
    if (invitation.email !== normalizeEmail(user.email)) {
      throw ApiError.forbidden(
        `This invitation was sent to ${invitation.email}. Sign in with that address to accept it.`,
        'E_INVITATION_EMAIL_MISMATCH'
      )
    }
    const now = DateTime.now()
    const membership = await db.transaction(async (trx) => {
      const claimed = await Invitation.query({ client: trx })
        .where('id', invitation.id)
        .whereNull('acceptedAt')
        .update({ acceptedAt: stamp(trx, now), acceptedById: user.id, updatedAt: stamp(trx, now) })
      if (Number(Array.isArray(claimed) ? claimed[0] : claimed) !== 1) {
        throw ApiError.notFound('This invitation is invalid, expired or already used')
      }
      const existing = await Membership.query({ client: trx })
        .where({ companyId: invitation.companyId, userId: user.id })
        .first()
      const joined =
        existing ??
        (await Membership.create(
          { companyId: invitation.companyId, userId: user.id, role: invitation.role },
          { client: trx }
        ))
      user.currentCompanyId = invitation.companyId
      if (!user.emailVerifiedAt) user.emailVerifiedAt = now
      await user.useTransaction(trx).save()
      return { joined, isNew: !existing }
    })
    if (membership.isNew) await MemberJoined.dispatch(membership.joined)
    return invitation
  }

  /** Owner invitations are handled by owners only, like the owner role itself. */
  authorize(actor: Membership, invitation: Invitation) {
    if (!assignableRoles(actor.role).includes(invitation.role)) {
      throw ApiError.forbidden('Only owners can manage an owner invitation')
    }
  }

  async #mail(invitation: Invitation, company: Company, inviter: User, secret: string) {
    const url = routeUrl('accounts.invitations.show', { token: secret })
    await mail.sendLater(
      new InvitationNotification(
        {
          email: invitation.email,
          companyName: company.name,
          inviterName: inviter.displayName,
          role: invitation.role,
        },
        url
      )
    )
  }
}
