import { test } from '@japa/runner'
import User from '#accounts/models/user'
import Membership from '#accounts/models/membership'
import { isolate } from '#tests/helpers/database'
import { flash } from '#tests/helpers/http'
import { createCompanyWithOwner, createMember } from '#accounts/database/factories/user_factory'

test.group('Members and roles', (group) => {
  isolate(group)

  test('lists the members with their roles', async ({ client, assert }) => {
    const { company, owner } = await createCompanyWithOwner()
    const { user } = await createMember(company, 'member')
    const response = await client
      .get(`/companies/${company.id}/members`)
      .loginAs(user)
      .withInertia()
    response.assertInertiaComponent('accounts/members/index')
    const emails = response.inertiaProps.members.map((m: any) => `${m.user.email}:${m.role}`)
    assert.sameMembers(emails, [`${owner.email}:owner`, `${user.email}:member`])
    assert.deepEqual(response.inertiaProps.can, {
      invite: false,
      manage: false,
      manageOwners: false,
    })
  })

  test('an admin changes a member’s role but cannot make owners', async ({ client, assert }) => {
    const { company } = await createCompanyWithOwner()
    const { user: admin } = await createMember(company, 'admin')
    const { membership } = await createMember(company, 'member')

    await client
      .put(`/companies/${company.id}/members/${membership.id}`)
      .withCsrfToken()
      .loginAs(admin)
      .form({ role: 'admin' })
    await membership.refresh()
    assert.equal(membership.role, 'admin')

    const refused = await client
      .put(`/companies/${company.id}/members/${membership.id}`)
      .withCsrfToken()
      .loginAs(admin)
      .form({ role: 'owner' })
      .redirects(0)
    assert.match(flash(refused, 'error'), /Only owners/)
    await membership.refresh()
    assert.equal(membership.role, 'admin')
  })

  test('the last owner can be neither demoted nor leave', async ({ client, assert }) => {
    const { company, owner, membership } = await createCompanyWithOwner()
    await createMember(company, 'admin')

    const demote = await client
      .put(`/companies/${company.id}/members/${membership.id}`)
      .withCsrfToken()
      .loginAs(owner)
      .form({ role: 'member' })
      .redirects(0)
    assert.match(flash(demote, 'error'), /at least one owner/)

    const leave = await client
      .delete(`/companies/${company.id}/members/${membership.id}`)
      .withCsrfToken()
      .loginAs(owner)
      .redirects(0)
    assert.match(flash(leave, 'error'), /at least one owner/)
    await membership.refresh()
    assert.equal(membership.role, 'owner')
  })

  test('with a second owner, an owner may leave', async ({ client, assert }) => {
    const { company, owner, membership } = await createCompanyWithOwner()
    await createMember(company, 'owner')
    const response = await client
      .delete(`/companies/${company.id}/members/${membership.id}`)
      .withCsrfToken()
      .loginAs(owner)
      .redirects(0)
    response.assertHeader('location', '/dashboard')
    assert.isNull(await Membership.find(membership.id))
    await owner.refresh()
    assert.isNull(owner.currentCompanyId)
  })

  test('removing a member also revokes their API tokens for that company', async ({
    client,
    assert,
  }) => {
    const { company, owner } = await createCompanyWithOwner()
    const { user, membership } = await createMember(company, 'member')
    const token = await User.accessTokens.create(user, ['*'], { companyId: company.id })

    await client
      .delete(`/companies/${company.id}/members/${membership.id}`)
      .withCsrfToken()
      .loginAs(owner)
    assert.isNull(await Membership.find(membership.id))
    assert.lengthOf(await User.accessTokens.forCompany(user, company.id), 0)

    const me = await client.get('/api/v1/me').bearerToken(token.value!.release())
    me.assertStatus(401)
  })

  test('a member can leave but cannot remove others', async ({ client, assert }) => {
    const { company } = await createCompanyWithOwner()
    const { user, membership } = await createMember(company, 'member')
    const { membership: other } = await createMember(company, 'member')

    const refused = await client
      .delete(`/companies/${company.id}/members/${other.id}`)
      .withCsrfToken()
      .loginAs(user)
      .header('accept', 'application/json')
    refused.assertStatus(403)
    assert.isNotNull(await Membership.find(other.id))

    await client
      .delete(`/companies/${company.id}/members/${membership.id}`)
      .withCsrfToken()
      .loginAs(user)
    assert.isNull(await Membership.find(membership.id))
  })

  test('an admin cannot remove an owner', async ({ client, assert }) => {
    const { company, membership } = await createCompanyWithOwner()
    await createMember(company, 'owner')
    const { user: admin } = await createMember(company, 'admin')
    const refused = await client
      .delete(`/companies/${company.id}/members/${membership.id}`)
      .withCsrfToken()
      .loginAs(admin)
      .header('accept', 'application/json')
    refused.assertStatus(403)
    assert.equal(refused.body().errors[0].message, 'Only owners can remove an owner')
    assert.isNotNull(await Membership.find(membership.id))
  })
})
