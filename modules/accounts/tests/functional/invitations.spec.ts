import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import mail from '@adonisjs/mail/services/main'
import User from '#accounts/models/user'
import Invitation from '#accounts/models/invitation'
import Membership from '#accounts/models/membership'
import InvitationNotification from '#accounts/mails/invitation_notification'
import { isolate } from '#tests/helpers/database'
import { flash, fieldErrors } from '#tests/helpers/http'
import {
  createCompanyWithOwner,
  createMember,
  UserFactory,
} from '#accounts/database/factories/user_factory'
import type Company from '#accounts/models/company'

/* Sends an invitation as `inviter` and returns the link's path. */
async function invite(
  client: any,
  company: Company,
  inviter: User,
  email: string,
  role = 'member'
) {
  using fake = mail.fake()
  const response = await client
    .post(`/companies/${company.id}/invitations`)
    .withCsrfToken()
    .loginAs(inviter)
    .form({ email, role })
    .redirects(0)
  const [sent] = fake.mails.queued((m) => m instanceof InvitationNotification)
  return { response, path: sent ? new URL((sent as InvitationNotification).url).pathname : null }
}

test.group('Invitations', (group) => {
  isolate(group)

  test('an invitation mails a link that lets a new person sign up and join', async ({
    client,
    assert,
  }) => {
    const { company, owner } = await createCompanyWithOwner()
    const { path } = await invite(client, company, owner, 'New.Person@Example.test', 'admin')
    assert.match(path!, /^\/invitations\/[\w-]{43}$/)
    const token = path!.split('/').pop()

    const page = await client.get(path!).withInertia()
    page.assertInertiaPropsContains({
      invitation: { email: 'new.person@example.test', role: 'admin', companyName: company.name },
    })

    const signup = await client
      .post('/signup')
      .withCsrfToken()
      .form({ email: 'new.person@example.test', password: 'joining passphrase', invitation: token })
      .redirects(0)
    signup.assertHeader('location', '/dashboard')

    const user = await User.findByOrFail('email', 'new.person@example.test')
    const memberships = await Membership.query().where('userId', user.id)
    assert.deepEqual(
      memberships.map((m) => [m.companyId, m.role]),
      [[company.id, 'admin']]
    )
    assert.equal(user.currentCompanyId, company.id)
    assert.isNotNull(user.emailVerifiedAt)
    const invitation = await Invitation.findByOrFail('email', 'new.person@example.test')
    assert.equal(invitation.acceptedById, user.id)
  })

  test('an existing user with the invited address accepts it', async ({ client, assert }) => {
    const { company, owner } = await createCompanyWithOwner()
    const invitee = await UserFactory.create()
    const { path } = await invite(client, company, owner, invitee.email)
    const response = await client
      .post(`${path}/accept`)
      .withCsrfToken()
      .loginAs(invitee)
      .redirects(0)
    response.assertHeader('location', '/dashboard')
    assert.isNotNull(await Membership.findBy({ companyId: company.id, userId: invitee.id }))
  })

  test('someone signed in with another address cannot use the link', async ({ client, assert }) => {
    const { company, owner } = await createCompanyWithOwner()
    const stranger = await UserFactory.create()
    const { path } = await invite(client, company, owner, 'someone.else@example.test')
    const response = await client
      .post(`${path}/accept`)
      .withCsrfToken()
      .loginAs(stranger)
      .redirects(0)
    assert.match(flash(response, 'error'), /sent to someone.else@example.test/)
    assert.isNull(await Membership.findBy({ companyId: company.id, userId: stranger.id }))
  })

  test('resending sends a new link and the old one stops working', async ({ client, assert }) => {
    const { company, owner } = await createCompanyWithOwner()
    const { path: first } = await invite(client, company, owner, 'late@example.test')
    const invitation = await Invitation.findByOrFail('email', 'late@example.test')

    using fake = mail.fake()
    await client
      .post(`/companies/${company.id}/invitations/${invitation.id}/resend`)
      .withCsrfToken()
      .loginAs(owner)
    const [sent] = fake.mails.queued((m) => m instanceof InvitationNotification)
    const second = new URL((sent as InvitationNotification).url).pathname
    assert.notEqual(second, first)

    const stale = await client.get(first!).withInertia()
    stale.assertInertiaPropsContains({ invitation: null })
    const fresh = await client.get(second).withInertia()
    assert.equal(fresh.inertiaProps.invitation.email, 'late@example.test')
  })

  test('a revoked or expired invitation cannot be accepted', async ({ client, assert }) => {
    const { company, owner } = await createCompanyWithOwner()
    const invitee = await UserFactory.create()
    const { path } = await invite(client, company, owner, invitee.email)
    const invitation = await Invitation.findByOrFail('email', invitee.email)
    invitation.expiresAt = DateTime.now().minus({ seconds: 1 })
    await invitation.save()

    const expired = await client
      .post(`${path}/accept`)
      .withCsrfToken()
      .loginAs(invitee)
      .redirects(0)
    expired.assertStatus(404)

    const { path: second } = await invite(client, company, owner, `again.${invitee.email}`)
    const revoking = await Invitation.findByOrFail('email', `again.${invitee.email}`)
    await client
      .delete(`/companies/${company.id}/invitations/${revoking.id}`)
      .withCsrfToken()
      .loginAs(owner)
    assert.isNull(await Invitation.find(revoking.id))
    invitee.email = `again.${invitee.email}`
    await invitee.save()
    const revoked = await client
      .post(`${second}/accept`)
      .withCsrfToken()
      .loginAs(invitee)
      .redirects(0)
    revoked.assertStatus(404)
    assert.isNull(await Membership.findBy({ companyId: company.id, userId: invitee.id }))
  })

  test('only owners revoke or resend an owner invitation', async ({ client, assert }) => {
    const { company, owner } = await createCompanyWithOwner()
    const { user: admin } = await createMember(company, 'admin')
    await invite(client, company, owner, 'future.owner@example.test', 'owner')
    const invitation = await Invitation.findByOrFail('email', 'future.owner@example.test')
    for (const request of [
      client.delete(`/companies/${company.id}/invitations/${invitation.id}`),
      client.post(`/companies/${company.id}/invitations/${invitation.id}/resend`),
    ]) {
      const response = await request
        .withCsrfToken()
        .loginAs(admin)
        .header('accept', 'application/json')
      response.assertStatus(403)
    }
    const unchanged = await Invitation.findOrFail(invitation.id)
    assert.equal(unchanged.tokenHash, invitation.tokenHash)
  })

  test('refuses inviting a member or someone already invited', async ({ client, assert }) => {
    const { company, owner } = await createCompanyWithOwner()
    const { user: member } = await createMember(company)
    const { response: again } = await invite(client, company, owner, member.email)
    assert.deepEqual(fieldErrors(again), { email: [`${member.email} is already a member`] })

    await invite(client, company, owner, 'twice@example.test')
    const { response: twice, path } = await invite(client, company, owner, 'twice@example.test')
    assert.deepEqual(fieldErrors(twice), {
      email: ['twice@example.test already has a pending invitation'],
    })
    assert.isNull(path)
  })

  test('members cannot invite, admins cannot invite owners', async ({ client, assert }) => {
    const { company } = await createCompanyWithOwner()
    const { user: member } = await createMember(company, 'member')
    const { user: admin } = await createMember(company, 'admin')
    const { path: byMember, response: memberResponse } = await invite(
      client,
      company,
      member,
      'a@example.test'
    )
    const { path: ownerByAdmin, response: adminResponse } = await invite(
      client,
      company,
      admin,
      'b@example.test',
      'owner'
    )
    assert.isNull(byMember)
    assert.isNull(ownerByAdmin)
    assert.equal(flash(memberResponse, 'error'), 'Your role does not allow this')
    assert.equal(flash(adminResponse, 'error'), 'Only owners can invite owners')
    assert.lengthOf(await Invitation.query().where('companyId', company.id), 0)
  })
})
