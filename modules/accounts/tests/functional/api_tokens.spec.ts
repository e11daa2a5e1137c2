import { test } from '@japa/runner'
import User from '#accounts/models/user'
import { isolate } from '#tests/helpers/database'
import { flash, fieldErrors } from '#tests/helpers/http'
import { createCompanyWithOwner, createMember } from '#accounts/database/factories/user_factory'

test.group('API tokens (web)', (group) => {
  isolate(group)

  test('creates a token for the company, shows it once, then lists its last use', async ({
    client,
    assert,
  }) => {
    const { company, owner } = await createCompanyWithOwner()
    const created = await client
      .post(`/companies/${company.id}/tokens`)
      .withCsrfToken()
      .loginAs(owner)
      .json({
        name: 'Build server',
        abilities: ['credits:read', 'members:read'],
        expiresInDays: 30,
      })
      .redirects(0)
    const secret = flash(created, 'token')
    assert.match(secret, /^tdm_/)

    const [token] = await User.accessTokens.forCompany(owner, company.id)
    assert.equal(token.name, 'Build server')
    assert.deepEqual(token.abilities, ['credits:read', 'members:read'])
    assert.equal(token.companyId, company.id)
    assert.closeTo(token.expiresAt!.getTime(), Date.now() + 30 * 86_400_000, 60_000)

    const list = await client.get(`/companies/${company.id}/tokens`).loginAs(owner).withInertia()
    assert.isNull(list.inertiaProps.tokens[0].lastUsedAt)
    assert.notInclude(JSON.stringify(list.inertiaProps), secret.split('.').pop()!)

    const me = await client.get('/api/v1/me').bearerToken(secret)
    me.assertStatus(200)
    const after = await client.get(`/companies/${company.id}/tokens`).loginAs(owner).withInertia()
    assert.isString(after.inertiaProps.tokens[0].lastUsedAt)
  })

  test('a revoked token stops working at once', async ({ client, assert }) => {
    const { company, owner } = await createCompanyWithOwner()
    const token = await User.accessTokens.create(owner, ['*'], {
      companyId: company.id,
      name: 'laptop',
    })
    await client
      .delete(`/companies/${company.id}/tokens/${token.identifier}`)
      .withCsrfToken()
      .loginAs(owner)
    assert.lengthOf(await User.accessTokens.forCompany(owner, company.id), 0)
    const me = await client.get('/api/v1/me').bearerToken(token.value!.release())
    me.assertStatus(401)
  })

  test('nobody else can revoke your token', async ({ client, assert }) => {
    const { company, owner } = await createCompanyWithOwner()
    const { user: colleague } = await createMember(company, 'admin')
    const token = await User.accessTokens.create(owner, ['*'], { companyId: company.id })
    const response = await client
      .delete(`/companies/${company.id}/tokens/${token.identifier}`)
      .withCsrfToken()
      .loginAs(colleague)
      .redirects(0)
    response.assertStatus(404)
    assert.lengthOf(await User.accessTokens.forCompany(owner, company.id), 1)
  })

  test('refuses unknown abilities and a missing name', async ({ client, assert }) => {
    const { company, owner } = await createCompanyWithOwner()
    const unknown = await client
      .post(`/companies/${company.id}/tokens`)
      .withCsrfToken()
      .loginAs(owner)
      .json({ name: 'x', abilities: ['credits:steal'] })
      .redirects(0)
    assert.deepEqual(fieldErrors(unknown), { abilities: ['Unknown abilities: credits:steal'] })
    const invalid = await client
      .post(`/companies/${company.id}/tokens`)
      .withCsrfToken()
      .loginAs(owner)
      .json({ abilities: [] })
      .redirects(0)
    assert.containsSubset(Object.keys(fieldErrors(invalid)), ['name', 'abilities'])
    assert.lengthOf(await User.accessTokens.forCompany(owner, company.id), 0)
  })
})
