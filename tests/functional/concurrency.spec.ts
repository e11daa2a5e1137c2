import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import User from '#accounts/models/user'
import Invitation from '#accounts/models/invitation'
import Membership from '#accounts/models/membership'
import { hashSecret } from '#app/helpers/secrets'
import { clearRateLimits } from '#tests/helpers/database'
import {
  createCompanyWithOwner,
  createMember,
  PASSWORD,
} from '#accounts/database/factories/user_factory'

/*
| Races, on real connections: these tests do not run inside the rolled-back transaction (that
| would serialize everything on one connection), so their requests really overlap on PostgreSQL
| and MariaDB; on SQLite writers queue, which must give the same outcome. Rows are removed after.
*/
const createdUsers: number[] = []
const createdCompanies: number[] = []

async function tenant() {
  const { company, owner, membership } = await createCompanyWithOwner()
  createdUsers.push(owner.id)
  createdCompanies.push(company.id)
  return { company, owner, membership }
}

async function member(companyId: number, role: 'owner' | 'admin' | 'member') {
  const { user, membership } = await createMember({ id: companyId } as any, role)
  createdUsers.push(user.id)
  return { user, membership }
}

test.group('Concurrent changes', (group) => {
  group.each.setup(() => clearRateLimits())
  group.each.teardown(async () => {
    await db.from('companies').whereIn('id', createdCompanies.splice(0)).delete()
    await db.from('users').whereIn('id', createdUsers.splice(0)).delete()
  })

  test('two owners demoting each other at once leave the company with an owner', async ({
    client,
    assert,
  }) => {
    const { company, owner, membership } = await tenant()
    const other = await member(company.id, 'owner')
    await member(company.id, 'member')

    const responses = await Promise.all([
      client
        .put(`/companies/${company.id}/members/${other.membership.id}`)
        .withCsrfToken()
        .loginAs(owner)
        .form({ role: 'member' })
        .redirects(0),
      client
        .put(`/companies/${company.id}/members/${membership.id}`)
        .withCsrfToken()
        .loginAs(other.user)
        .form({ role: 'member' })
        .redirects(0),
    ])
    assert.notInclude(
      responses.map((r) => r.status()),
      500
    )
    const owners = await Membership.query().where({ companyId: company.id, role: 'owner' })
    assert.lengthOf(owners, 1)
  })

  test('an owner deleting their account while the co-owner leaves leaves one owner', async ({
    client,
    assert,
  }) => {
    const { company, owner } = await tenant()
    const other = await member(company.id, 'owner')
    await member(company.id, 'member')

    const responses = await Promise.all([
      client
        .delete('/account')
        .withCsrfToken()
        .loginAs(owner)
        .form({ password: PASSWORD })
        .redirects(0),
      client
        .delete(`/companies/${company.id}/members/${other.membership.id}`)
        .withCsrfToken()
        .loginAs(other.user)
        .redirects(0),
    ])
    assert.notInclude(
      responses.map((r) => r.status()),
      500
    )
    const owners = await Membership.query().where({ companyId: company.id, role: 'owner' })
    assert.lengthOf(owners, 1)
  })

  test('accepting one invitation twice at once makes one membership and no error page', async ({
    client,
    assert,
  }) => {
    const { company, owner } = await tenant()
    const invitee = await User.create({
      email: `race.${company.id}@example.test`,
      password: PASSWORD,
      fullName: 'Racer',
    })
    createdUsers.push(invitee.id)
    await Invitation.create({
      companyId: company.id,
      email: invitee.email,
      role: 'member',
      tokenHash: hashSecret(`secret-${company.id}`),
      invitedById: owner.id,
      expiresAt: DateTime.now().plus({ days: 1 }),
      sentAt: DateTime.now(),
    })
    const accept = () =>
      client
        .post(`/invitations/secret-${company.id}/accept`)
        .withCsrfToken()
        .loginAs(invitee)
        .redirects(0)
    const responses = await Promise.all([accept(), accept(), accept()])
    assert.notInclude(
      responses.map((r) => r.status()),
      500
    )
    assert.lengthOf(
      await Membership.query().where({ companyId: company.id, userId: invitee.id }),
      1
    )
    assert.isTrue(responses.some((r) => r.header('location') === '/dashboard'))
  })
})
