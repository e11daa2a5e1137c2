import { test } from '@japa/runner'
import Company from '#accounts/models/company'
import Membership from '#accounts/models/membership'
import { isolate } from '#tests/helpers/database'
import { flash, fieldErrors } from '#tests/helpers/http'
import { createCompanyWithOwner, createMember } from '#accounts/database/factories/user_factory'

test.group('Companies', (group) => {
  isolate(group)

  test('creating a company makes you its owner and switches to it', async ({ client, assert }) => {
    const { owner } = await createCompanyWithOwner()
    const response = await client
      .post('/companies')
      .withCsrfToken()
      .loginAs(owner)
      .form({ name: 'Difference Engines' })
      .redirects(0)
    const company = await Company.findByOrFail('name', 'Difference Engines')
    response.assertHeader('location', `/companies/${company.id}/members`)
    const membership = await Membership.findByOrFail({ companyId: company.id, userId: owner.id })
    assert.equal(membership.role, 'owner')
    await owner.refresh()
    assert.equal(owner.currentCompanyId, company.id)
  })

  test('owners and admins rename; members may not', async ({ client, assert }) => {
    const { company } = await createCompanyWithOwner()
    const { user: admin } = await createMember(company, 'admin')
    const { user: member } = await createMember(company, 'member')

    await client
      .put(`/companies/${company.id}`)
      .withCsrfToken()
      .loginAs(admin)
      .form({ name: 'Renamed by admin' })
    await company.refresh()
    assert.equal(company.name, 'Renamed by admin')

    const refused = await client
      .put(`/companies/${company.id}`)
      .withCsrfToken()
      .loginAs(member)
      .form({ name: 'Nope' })
      .redirects(0)
    assert.equal(flash(refused, 'error'), 'Your role does not allow this')
    await company.refresh()
    assert.equal(company.name, 'Renamed by admin')
  })

  test('only an owner deletes, after typing the name', async ({ client, assert }) => {
    const { company, owner } = await createCompanyWithOwner()
    const { user: admin } = await createMember(company, 'admin')

    await client
      .delete(`/companies/${company.id}`)
      .withCsrfToken()
      .loginAs(admin)
      .form({ confirmation: company.name })
    assert.isNotNull(await Company.find(company.id))

    const mistyped = await client
      .delete(`/companies/${company.id}`)
      .withCsrfToken()
      .loginAs(owner)
      .form({ confirmation: 'nope' })
      .redirects(0)
    assert.property(fieldErrors(mistyped), 'confirmation')
    assert.isNotNull(await Company.find(company.id))

    await client
      .delete(`/companies/${company.id}`)
      .withCsrfToken()
      .loginAs(owner)
      .form({ confirmation: company.name })
    assert.isNull(await Company.find(company.id))
    assert.lengthOf(await Membership.query().where('companyId', company.id), 0)
  })

  test('switches the current company, but only to one you belong to', async ({
    client,
    assert,
  }) => {
    const { owner } = await createCompanyWithOwner()
    const { company: second } = await createCompanyWithOwner()
    await Membership.create({ companyId: second.id, userId: owner.id, role: 'member' })
    const { company: foreign } = await createCompanyWithOwner()

    await client
      .put('/current-company')
      .withCsrfToken()
      .loginAs(owner)
      .form({ companyId: second.id })
    await owner.refresh()
    assert.equal(owner.currentCompanyId, second.id)

    const refused = await client
      .put('/current-company')
      .withCsrfToken()
      .loginAs(owner)
      .form({ companyId: foreign.id })
      .redirects(0)
    refused.assertStatus(404)
    await owner.refresh()
    assert.equal(owner.currentCompanyId, second.id)
  })

  test('every page shares the signed-in user, their companies and the navigation', async ({
    client,
    assert,
  }) => {
    const { owner, company } = await createCompanyWithOwner()
    const response = await client.get('/dashboard').loginAs(owner).withInertia()
    const props = response.inertiaProps
    assert.equal(props.user.email, owner.email)
    assert.deepEqual(props.currentCompany, { id: company.id, name: company.name, role: 'owner' })
    assert.includeDeepMembers(props.navigation, [
      {
        section: 'company',
        label: 'Members',
        icon: 'users',
        href: `/companies/${company.id}/members`,
      },
    ])
    assert.notInclude(
      props.navigation.map((item: any) => item.section),
      'admin'
    )
  })

  test('every company gets a unique slug that survives renaming', async ({ assert }) => {
    const first = await Company.create({ name: 'Acme Rendering', personal: false })
    const second = await Company.create({ name: 'Acme  rendering!', personal: false })
    const third = await Company.create({ name: 'ACME Rendering', personal: false })
    assert.deepEqual(
      [first.slug, second.slug, third.slug],
      ['acme-rendering', 'acme-rendering-2', 'acme-rendering-3']
    )
    await first.merge({ name: 'Something else' }).save()
    await first.refresh()
    assert.equal(first.slug, 'acme-rendering')
  })
})
