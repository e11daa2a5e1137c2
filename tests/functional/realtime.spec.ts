import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import User from '#accounts/models/user'
import { Realtime } from '#app/realtime/realtime'
import { isolate } from '#tests/helpers/database'
import { browserLogin } from '#tests/helpers/http'
import {
  socketsFor,
  testServerUrl,
  connected,
  nextEvent,
  refused,
  silence,
} from '#tests/helpers/realtime'
import {
  createCompanyWithOwner,
  createMember,
  PASSWORD,
} from '#accounts/database/factories/user_factory'

const baseUrl = testServerUrl

async function tokenFor(user: User, companyId: number) {
  return (await User.accessTokens.create(user, ['*'], { companyId })).value!.release()
}

test.group('Realtime', (group) => {
  isolate(group)
  const open = socketsFor(group)

  test('refuses a connection without credentials, or with a bad token', async ({ assert }) => {
    const anonymous = await refused(open({}))
    assert.equal(anonymous.message, 'unauthorized')
    assert.deepEqual(anonymous.data, {
      code: 'E_UNAUTHORIZED_ACCESS',
      message: 'Sign in, or send a valid token',
    })
    const forged = await refused(open({ token: 'tdm_forged.token' }))
    assert.equal(forged.message, 'unauthorized')
  })

  test('refuses browsers coming from another site', async ({ assert }) => {
    const { owner, company } = await createCompanyWithOwner()
    const token = await tokenFor(owner, company.id)
    const foreign = await refused(open({ token, origin: 'https://evil.example' }))
    assert.exists(foreign)
    const sameSite = open({ token, origin: baseUrl() })
    await connected(sameSite)
  })

  test('a bearer token joins its user and company rooms', async ({ assert }) => {
    const { owner, company } = await createCompanyWithOwner()
    const { owner: stranger, company: other } = await createCompanyWithOwner()
    const mine = open({ token: await tokenFor(owner, company.id) })
    const theirs = open({ token: await tokenFor(stranger, other.id) })
    await Promise.all([connected(mine), connected(theirs)])

    const realtime = await app.container.make(Realtime)
    const toCompany = nextEvent(mine, 'demo.company')
    const leaked = silence(theirs, 'demo.company')
    realtime.toCompany(company.id).emit('demo.company', { hello: 'team' })
    assert.deepEqual(await toCompany, { hello: 'team' })
    assert.isTrue(await leaked)

    const toUser = nextEvent(mine, 'demo.user')
    realtime.toUser(owner.id).emit('demo.user', { hello: 'you' })
    assert.deepEqual(await toUser, { hello: 'you' })
  })

  test('a browser session cookie authenticates the socket', async ({ assert }) => {
    const { owner } = await createCompanyWithOwner()
    const cookie = await browserLogin(baseUrl(), owner.email, PASSWORD)
    const socket = open({ cookie })
    await connected(socket)
    const realtime = await app.container.make(Realtime)
    const received = nextEvent(socket, 'demo.user')
    realtime.toUser(owner.id).emit('demo.user', 42)
    assert.equal(await received, 42)
  })

  test('a desktop sign-in is announced to the user’s other connections', async ({
    client,
    assert,
  }) => {
    const { owner, company } = await createCompanyWithOwner()
    const socket = open({ token: await tokenFor(owner, company.id) })
    await connected(socket)
    const announced = nextEvent(socket, 'accounts.token_created')
    await client
      .post('/api/v1/auth/tokens')
      .json({ email: owner.email, password: PASSWORD, deviceName: 'Second laptop' })
    assert.containsSubset(await announced, {
      name: 'Second laptop',
      companyId: company.id,
      via: 'login',
    })
  })

  test('a removed member stops receiving the company’s events at once', async ({
    client,
    assert,
  }) => {
    const { owner, company } = await createCompanyWithOwner()
    const { user, membership } = await createMember(company)
    const browser = open({ cookie: await browserLogin(baseUrl(), user.email, PASSWORD) })
    const desktop = open({ token: await tokenFor(user, company.id) })
    await Promise.all([connected(browser), connected(desktop)])

    const ended = nextEvent(browser, 'accounts.membership_ended')
    const cutOff = nextEvent(desktop, 'disconnect')
    await client
      .delete(`/companies/${company.id}/members/${membership.id}`)
      .withCsrfToken()
      .loginAs(owner)
    assert.containsSubset(await ended, { companyId: company.id, reason: 'removed' })
    assert.equal(await cutOff, 'io server disconnect')

    const realtime = await app.container.make(Realtime)
    const quiet = silence(browser, 'demo.company')
    realtime.toCompany(company.id).emit('demo.company', 'secret')
    assert.isTrue(await quiet)
  })
})
