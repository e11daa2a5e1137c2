import { test } from '@japa/runner'
import User from '#accounts/models/user'
import Company from '#accounts/models/company'
import AuditLog from '#admin/models/audit_log'
import { isolate } from '#tests/helpers/database'
import {
  createCompanyWithOwner,
  createMember,
  UserFactory,
} from '#accounts/database/factories/user_factory'

test.group('Admin area', (group) => {
  isolate(group)

  test('is closed to people who are not platform admins', async ({ client }) => {
    const { owner } = await createCompanyWithOwner()
    for (const path of [
      '/admin/users',
      '/admin/companies',
      '/admin/audit-log',
      '/admin/telemetry',
      '/admin/tasks',
      '/admin/system',
      '/admin/credits',
    ]) {
      const response = await client.get(path).loginAs(owner)
      response.assertStatus(403)
    }
    const visitor = await client.get('/admin/users').redirects(0)
    visitor.assertHeader('location', '/login')
  })

  test('searches users by email or name', async ({ client, assert }) => {
    const admin = await UserFactory.apply('admin').create()
    await UserFactory.merge({ email: 'grace@navy.test', fullName: 'Grace Hopper' }).create()
    await UserFactory.merge({ email: 'alan@bletchley.test', fullName: 'Alan Turing' }).create()
    const byName = await client.get('/admin/users').qs({ q: 'hopper' }).loginAs(admin).withInertia()
    assert.deepEqual(
      byName.inertiaProps.users.map((u: any) => u.email),
      ['grace@navy.test']
    )
    const byEmail = await client
      .get('/admin/users')
      .qs({ q: 'BLETCHLEY' })
      .loginAs(admin)
      .withInertia()
    assert.deepEqual(
      byEmail.inertiaProps.users.map((u: any) => u.email),
      ['alan@bletchley.test']
    )
  })

  test('disabling a user ends their access and is written to the audit log', async ({
    client,
    assert,
  }) => {
    const admin = await UserFactory.apply('admin').create()
    const { owner, company } = await createCompanyWithOwner()
    const token = await User.accessTokens.create(owner, ['*'], { companyId: company.id })

    await client.post(`/admin/users/${owner.id}/disablement`).withCsrfToken().loginAs(admin)
    await owner.refresh()
    assert.isNotNull(owner.disabledAt)

    const page = await client.get('/dashboard').loginAs(owner).redirects(0)
    page.assertHeader('location', '/login')
    const api = await client.get('/api/v1/me').bearerToken(token.value!.release())
    api.assertStatus(403)

    const entry = await AuditLog.query().where('action', 'user.disabled').firstOrFail()
    assert.equal(entry.actorId, admin.id)
    assert.equal(entry.actorEmail, admin.email)
    assert.equal(entry.subjectId, String(owner.id))
    assert.isNull(entry.before!.disabledAt)
    assert.isString(entry.after!.disabledAt)
    assert.isString(entry.requestId)

    await client.delete(`/admin/users/${owner.id}/disablement`).withCsrfToken().loginAs(admin)
    await owner.refresh()
    assert.isNull(owner.disabledAt)
    assert.equal(
      await AuditLog.query()
        .where('action', 'user.enabled')
        .count('* as total')
        .then((r) => Number(r[0].$extras.total)),
      1
    )
  })

  test('an admin cannot disable or delete themselves', async ({ client, assert }) => {
    const admin = await UserFactory.apply('admin').create()
    await client.post(`/admin/users/${admin.id}/disablement`).withCsrfToken().loginAs(admin)
    await client.delete(`/admin/users/${admin.id}`).withCsrfToken().loginAs(admin)
    await admin.refresh()
    assert.isNull(admin.disabledAt)
    assert.lengthOf(await AuditLog.all(), 0)
  })

  test('deleting a user is audited with what was deleted', async ({ client, assert }) => {
    const admin = await UserFactory.apply('admin').create()
    const { owner, company } = await createCompanyWithOwner()
    await client.delete(`/admin/users/${owner.id}`).withCsrfToken().loginAs(admin)
    assert.isNull(await User.find(owner.id))
    assert.isNull(await Company.find(company.id))
    const entry = await AuditLog.findByOrFail('action', 'user.deleted')
    assert.equal(entry.before!.email, owner.email)
    assert.isNull(entry.after)
  })

  test('lists companies with member counts and shows their members', async ({ client, assert }) => {
    const admin = await UserFactory.apply('admin').create()
    const { company, owner } = await createCompanyWithOwner()
    await createMember(company, 'member')
    const list = await client
      .get('/admin/companies')
      .qs({ q: company.name.slice(0, 6) })
      .loginAs(admin)
      .withInertia()
    assert.containsSubset(list.inertiaProps.companies, [{ id: company.id, members: 2 }])
    const show = await client.get(`/admin/companies/${company.id}`).loginAs(admin).withInertia()
    assert.includeMembers(
      show.inertiaProps.members.map((m: any) => m.email),
      [owner.email]
    )
  })

  test('the audit log page shows entries, newest first, filterable by action', async ({
    client,
    assert,
  }) => {
    const admin = await UserFactory.apply('admin').create()
    const target = await UserFactory.create()
    await client.post(`/admin/users/${target.id}/disablement`).withCsrfToken().loginAs(admin)
    await client.delete(`/admin/users/${target.id}/disablement`).withCsrfToken().loginAs(admin)
    const all = await client.get('/admin/audit-log').loginAs(admin).withInertia()
    assert.deepEqual(
      all.inertiaProps.entries.map((e: any) => e.action),
      ['user.enabled', 'user.disabled']
    )
    const filtered = await client
      .get('/admin/audit-log')
      .qs({ action: 'user.disabled' })
      .loginAs(admin)
      .withInertia()
    assert.deepEqual(
      filtered.inertiaProps.entries.map((e: any) => e.action),
      ['user.disabled']
    )
    assert.sameMembers(all.inertiaProps.actions, ['user.disabled', 'user.enabled'])
  })

  test('admins see the admin navigation; others do not', async ({ client, assert }) => {
    const admin = await UserFactory.apply('admin').create()
    const response = await client.get('/admin/users').loginAs(admin).withInertia()
    const admins = response.inertiaProps.navigation.filter((item: any) => item.section === 'admin')
    assert.deepEqual(
      admins.map((item: any) => item.href),
      [
        '/admin/users',
        '/admin/companies',
        '/admin/credits',
        '/admin/audit-log',
        '/admin/telemetry',
        '/admin/tasks',
        '/admin/system',
      ]
    )
  })
})
