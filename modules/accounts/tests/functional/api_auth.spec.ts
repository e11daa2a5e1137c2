import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import User from '#accounts/models/user'
import Membership from '#accounts/models/membership'
import { isolate } from '#tests/helpers/database'
import { apiErrors } from '#tests/helpers/http'
import {
  createCompanyWithOwner,
  createMember,
  PASSWORD,
} from '#accounts/database/factories/user_factory'

test.group('Public API: desktop sign-in and /me', (group) => {
  isolate(group)

  test('POST /api/v1/auth/tokens returns a bearer token for the current company', async ({
    client,
    assert,
  }) => {
    const { owner, company } = await createCompanyWithOwner()
    const response = await client
      .post('/api/v1/auth/tokens')
      .json({ email: owner.email, password: PASSWORD, deviceName: 'Ada’s laptop' })
    response.assertStatus(201)
    const body = response.body()
    assert.match(body.token, /^tdm_/)
    assert.equal(body.type, 'bearer')
    assert.isNull(body.expiresAt)
    assert.containsSubset(body.user, { id: owner.id, email: owner.email })
    assert.notProperty(body.user, 'password')
    assert.containsSubset(body.company, { id: company.id, name: company.name, role: 'owner' })

    const [token] = await User.accessTokens.forCompany(owner, company.id)
    assert.equal(token.name, 'Ada’s laptop')
    assert.deepEqual(token.abilities, ['*'])
  })

  test('signs in to a chosen company, and answers 404 for a company you are not in', async ({
    client,
    assert,
  }) => {
    const { owner } = await createCompanyWithOwner()
    const { company: second } = await createCompanyWithOwner()
    await Membership.create({ companyId: second.id, userId: owner.id, role: 'member' })
    const { company: foreign } = await createCompanyWithOwner()

    const chosen = await client.post('/api/v1/auth/tokens').json({
      email: owner.email,
      password: PASSWORD,
      deviceName: 'cli',
      companyId: second.id,
      expiresInDays: 7,
    })
    chosen.assertStatus(201)
    assert.equal(chosen.body().company.id, second.id)
    assert.closeTo(Date.parse(chosen.body().expiresAt), Date.now() + 7 * 86_400_000, 60_000)

    const refused = await client
      .post('/api/v1/auth/tokens')
      .json({ email: owner.email, password: PASSWORD, deviceName: 'cli', companyId: foreign.id })
    refused.assertStatus(404)
    assert.deepEqual(apiErrors(refused), [
      { code: 'E_NOT_FOUND', message: 'Company not found', field: 'companyId' },
    ])
    assert.lengthOf(await User.accessTokens.forCompany(owner, foreign.id), 0)
  })

  test('answers 401 E_INVALID_CREDENTIALS for a wrong password, 422 for bad input', async ({
    client,
    assert,
  }) => {
    const { owner } = await createCompanyWithOwner()
    const wrong = await client
      .post('/api/v1/auth/tokens')
      .json({ email: owner.email, password: 'nope', deviceName: 'x' })
    wrong.assertStatus(401)
    assert.equal(apiErrors(wrong)[0].code, 'E_INVALID_CREDENTIALS')

    const invalid = await client.post('/api/v1/auth/tokens').json({ email: owner.email })
    invalid.assertStatus(422)
    assert.sameMembers(
      apiErrors(invalid).map((error) => `${error.code}:${error.field}`),
      ['E_VALIDATION_ERROR:password', 'E_VALIDATION_ERROR:deviceName']
    )
  })

  test('rate limits password guessing with 429 and Retry-After', async ({ client, assert }) => {
    const { owner } = await createCompanyWithOwner()
    for (let attempt = 0; attempt < 5; attempt++) {
      await client
        .post('/api/v1/auth/tokens')
        .json({ email: owner.email, password: 'guess', deviceName: 'x' })
    }
    const locked = await client
      .post('/api/v1/auth/tokens')
      .json({ email: owner.email, password: PASSWORD, deviceName: 'x' })
    locked.assertStatus(429)
    assert.equal(apiErrors(locked)[0].code, 'E_TOO_MANY_REQUESTS')
    assert.isAbove(Number(locked.header('retry-after')), 800)
    assert.lengthOf(await User.accessTokens.forCompany(owner, owner.currentCompanyId!), 0)
  })

  test('a burst of parallel guesses gets no more than 5 password checks', async ({
    client,
    assert,
  }) => {
    const { owner } = await createCompanyWithOwner()
    const responses = await Promise.all(
      Array.from({ length: 12 }, () =>
        client
          .post('/api/v1/auth/tokens')
          .json({ email: owner.email, password: 'guess', deviceName: 'x' })
      )
    )
    const codes = responses.map((response) => apiErrors(response)[0].code)
    assert.equal(codes.filter((code) => code === 'E_INVALID_CREDENTIALS').length, 5)
    assert.equal(codes.filter((code) => code === 'E_TOO_MANY_REQUESTS').length, 7)
  })

  test('failures from another address do not lock the account out here', async ({
    client,
    assert,
  }) => {
    const { owner } = await createCompanyWithOwner()
    for (let attempt = 0; attempt < 6; attempt++) {
      await client
        .post('/api/v1/auth/tokens')
        .header('x-forwarded-for', '10.9.8.7')
        .json({ email: owner.email, password: 'guess', deviceName: 'x' })
    }
    const elsewhere = await client
      .post('/api/v1/auth/tokens')
      .header('x-forwarded-for', '10.9.8.7')
      .json({ email: owner.email, password: PASSWORD, deviceName: 'x' })
    elsewhere.assertStatus(429)
    const here = await client
      .post('/api/v1/auth/tokens')
      .json({ email: owner.email, password: PASSWORD, deviceName: 'x' })
    here.assertStatus(201)
    assert.match(here.body().token, /^tdm_/)
  })

  test('a disabled account gets 403 E_ACCOUNT_DISABLED, and its tokens stop working', async ({
    client,
    assert,
  }) => {
    const { owner, company } = await createCompanyWithOwner()
    const token = await User.accessTokens.create(owner, ['*'], { companyId: company.id })
    owner.disabledAt = owner.createdAt
    await owner.save()
    const login = await client
      .post('/api/v1/auth/tokens')
      .json({ email: owner.email, password: PASSWORD, deviceName: 'x' })
    login.assertStatus(403)
    assert.equal(apiErrors(login)[0].code, 'E_ACCOUNT_DISABLED')
    const me = await client.get('/api/v1/me').bearerToken(token.value!.release())
    me.assertStatus(403)
  })

  test('GET /api/v1/me describes the user, the token’s company and its abilities', async ({
    client,
    assert,
  }) => {
    const { company } = await createCompanyWithOwner()
    const { user } = await createMember(company, 'admin')
    const token = await User.accessTokens.create(user, ['credits:read', 'rooms:join'], {
      companyId: company.id,
      name: 'desk',
    })
    const response = await client.get('/api/v1/me').bearerToken(token.value!.release())
    response.assertStatus(200)
    assert.containsSubset(response.body(), {
      user: { id: user.id, email: user.email },
      company: { id: company.id, name: company.name, role: 'admin' },
      abilities: ['credits:read', 'rooms:join'],
      token: { id: Number(token.identifier), name: 'desk' },
    })
    assert.include(response.body().permissions, 'members:invite')
  })

  test('a token’s last use is written at most once a minute, and answered as now', async ({
    client,
    assert,
  }) => {
    const { owner, company } = await createCompanyWithOwner()
    const token = await User.accessTokens.create(owner, ['*'], { companyId: company.id })
    const id = Number(token.identifier)
    const stored = async () => {
      const row = await db.from('auth_access_tokens').where('id', id).first()
      return row.last_used_at === null ? null : new Date(row.last_used_at).getTime()
    }

    const first = await client.get('/api/v1/me').bearerToken(token.value!.release())
    first.assertStatus(200)
    const written = await stored()
    assert.isNotNull(written)
    assert.approximately(written!, Date.now(), 5000)

    /* Within the minute: nothing written, but the answer still says "now". */
    const second = await client.get('/api/v1/me').bearerToken(token.value!.release())
    assert.isAtLeast(Date.parse(second.body().token.lastUsedAt), written!)
    assert.equal(await stored(), written)

    /* Older than a minute: written again. */
    const twoMinutesAgo = new Date(Date.now() - 120_000)
    await db.from('auth_access_tokens').where('id', id).update({ last_used_at: twoMinutesAgo })
    await client.get('/api/v1/me').bearerToken(token.value!.release())
    assert.isAbove((await stored())!, twoMinutesAgo.getTime() + 60_000)
  })

  test('DELETE /api/v1/auth/tokens/current signs the desktop out', async ({ client, assert }) => {
    const { owner, company } = await createCompanyWithOwner()
    const token = await User.accessTokens.create(owner, ['*'], { companyId: company.id })
    const response = await client
      .delete('/api/v1/auth/tokens/current')
      .bearerToken(token.value!.release())
    response.assertStatus(204)
    const after = await client.get('/api/v1/me').bearerToken(token.value!.release())
    after.assertStatus(401)
    assert.equal(apiErrors(after)[0].code, 'E_UNAUTHORIZED_ACCESS')
  })

  test('missing, malformed and expired tokens get 401 in the error shape', async ({
    client,
    assert,
  }) => {
    const { owner, company } = await createCompanyWithOwner()
    const expired = await User.accessTokens.create(owner, ['*'], {
      companyId: company.id,
      expiresIn: 1,
    })
    await new Promise((resolve) => setTimeout(resolve, 1100))
    for (const request of [
      client.get('/api/v1/me'),
      client.get('/api/v1/me').bearerToken('tdm_garbage'),
      client.get('/api/v1/me').bearerToken(expired.value!.release()),
    ]) {
      const response = await request
      response.assertStatus(401)
      assert.equal(apiErrors(response)[0].code, 'E_UNAUTHORIZED_ACCESS')
    }
  })

  test('a token without the ability gets 403 E_MISSING_ABILITY', async ({ client, assert }) => {
    const { owner, company } = await createCompanyWithOwner()
    const token = await User.accessTokens.create(owner, ['credits:read'], { companyId: company.id })
    const response = await client.get('/api/v1/members').bearerToken(token.value!.release())
    response.assertStatus(403)
    assert.equal(apiErrors(response)[0].code, 'E_MISSING_ABILITY')
  })

  test('GET /api/v1/members pages through the token’s company with a cursor', async ({
    client,
    assert,
  }) => {
    const { owner, company } = await createCompanyWithOwner()
    for (let index = 0; index < 4; index++) await createMember(company)
    await createCompanyWithOwner()
    const token = (
      await User.accessTokens.create(owner, ['members:read'], { companyId: company.id })
    ).value!.release()

    const first = await client.get('/api/v1/members').qs({ limit: 3 }).bearerToken(token)
    assert.lengthOf(first.body().data, 3)
    assert.isString(first.body().nextCursor)
    const second = await client
      .get('/api/v1/members')
      .qs({ limit: 3, cursor: first.body().nextCursor })
      .bearerToken(token)
    assert.lengthOf(second.body().data, 2)
    assert.isNull(second.body().nextCursor)
    const ids = [...first.body().data, ...second.body().data].map((m: any) => m.user.id)
    assert.equal(new Set(ids).size, 5)

    const bad = await client.get('/api/v1/members').qs({ cursor: '!!' }).bearerToken(token)
    bad.assertStatus(422)
    assert.equal(apiErrors(bad)[0].code, 'E_INVALID_CURSOR')
  })
})
