import { test } from '@japa/runner'
import mail from '@adonisjs/mail/services/main'
import app from '@adonisjs/core/services/app'
import User from '#accounts/models/user'
import ResetPasswordNotification from '#accounts/mails/reset_password_notification'
import { Realtime } from '#app/realtime/realtime'
import { isolate } from '#tests/helpers/database'
import { browserLogin } from '#tests/helpers/http'
import { socketsFor, testServerUrl, connected, nextEvent, silence } from '#tests/helpers/realtime'
import { UsersService } from '#accounts/services/users_service'
import { createCompanyWithOwner, PASSWORD } from '#accounts/database/factories/user_factory'

/*
| Taking access away really takes it away: sessions, API tokens and the live connections opened
| with them, the moment a password changes, a token is revoked or an account is disabled.
*/
const baseUrl = testServerUrl
const dashboard = (cookie: string) =>
  fetch(`${baseUrl()}/dashboard`, { headers: { cookie }, redirect: 'manual' })

test.group('Revoking access', (group) => {
  isolate(group)
  const open = socketsFor(group)

  test('changing the password ends the other sessions but keeps this one', async ({ assert }) => {
    const { owner } = await createCompanyWithOwner()
    const elsewhere = await browserLogin(baseUrl(), owner.email, PASSWORD)
    assert.equal((await dashboard(elsewhere)).status, 200)
    const socket = open({ cookie: elsewhere })
    await connected(socket)
    const cutOff = nextEvent(socket, 'disconnect')

    const here = await browserLogin(baseUrl(), owner.email, PASSWORD)
    const xsrf = decodeURIComponent(here.match(/XSRF-TOKEN=([^;]+)/)![1])
    const changed = await fetch(`${baseUrl()}/profile/password`, {
      method: 'PUT',
      redirect: 'manual',
      headers: { 'cookie': here, 'x-xsrf-token': xsrf, 'content-type': 'application/json' },
      body: JSON.stringify({
        currentPassword: PASSWORD,
        password: 'a new passphrase',
        passwordConfirmation: 'a new passphrase',
      }),
    })
    assert.equal(changed.headers.get('location'), '/profile')

    const other = await dashboard(elsewhere)
    assert.equal(other.status, 302)
    assert.equal(other.headers.get('location'), '/login')
    assert.equal(await cutOff, 'io server disconnect')
    const refused = open({ cookie: elsewhere })
    await new Promise((resolve) => refused.once('connect_error', resolve))

    const renewed = changed.headers
      .getSetCookie()
      .map((line) => line.split(';')[0])
      .join('; ')
    assert.equal((await dashboard(renewed)).status, 200)
  })

  test('a password reset signs out every session, remembered browser and API token', async ({
    client,
    assert,
  }) => {
    const { owner, company } = await createCompanyWithOwner()
    const session = await browserLogin(baseUrl(), owner.email, PASSWORD)
    const token = (
      await User.accessTokens.create(owner, ['*'], { companyId: company.id })
    ).value!.release()
    const socket = open({ token })
    await connected(socket)
    const cutOff = nextEvent(socket, 'disconnect')

    using fake = mail.fake()
    await client.post('/forgot-password').withCsrfToken().form({ email: owner.email })
    const [sent] = fake.mails.queued((m) => m instanceof ResetPasswordNotification)
    const path = new URL((sent as ResetPasswordNotification).url).pathname
    await client
      .post(path)
      .withCsrfToken()
      .form({ password: 'recovered passphrase', passwordConfirmation: 'recovered passphrase' })

    assert.equal((await dashboard(session)).headers.get('location'), '/login')
    const me = await client.get('/api/v1/me').bearerToken(token)
    me.assertStatus(401)
    assert.equal(await cutOff, 'io server disconnect')
  })

  test('revoking a token closes the sockets it opened, and only those', async ({
    client,
    assert,
  }) => {
    const { owner, company } = await createCompanyWithOwner()
    const revoked = await User.accessTokens.create(owner, ['*'], { companyId: company.id })
    const kept = await User.accessTokens.create(owner, ['*'], { companyId: company.id })
    const first = open({ token: revoked.value!.release() })
    const second = open({ token: kept.value!.release() })
    await Promise.all([connected(first), connected(second)])
    const cutOff = nextEvent(first, 'disconnect')
    const untouched = silence(second, 'disconnect', 500)

    await client
      .delete(`/companies/${company.id}/tokens/${revoked.identifier}`)
      .withCsrfToken()
      .loginAs(owner)
    assert.equal(await cutOff, 'io server disconnect')
    assert.isTrue(await untouched)
  })

  test('signing a desktop out closes its socket', async ({ client, assert }) => {
    const { owner, company } = await createCompanyWithOwner()
    const token = (
      await User.accessTokens.create(owner, ['*'], { companyId: company.id })
    ).value!.release()
    const socket = open({ token })
    await connected(socket)
    const cutOff = nextEvent(socket, 'disconnect')
    const response = await client.delete('/api/v1/auth/tokens/current').bearerToken(token)
    response.assertStatus(204)
    assert.equal(await cutOff, 'io server disconnect')
  })

  test('logging out closes that browser’s sockets', async ({ assert }) => {
    const { owner } = await createCompanyWithOwner()
    const cookie = await browserLogin(baseUrl(), owner.email, PASSWORD)
    const socket = open({ cookie })
    await connected(socket)
    const cutOff = nextEvent(socket, 'disconnect')
    const xsrf = decodeURIComponent(cookie.match(/XSRF-TOKEN=([^;]+)/)![1])
    await fetch(`${baseUrl()}/logout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'x-xsrf-token': xsrf },
    })
    assert.equal(await cutOff, 'io server disconnect')
  })

  test('disabling an account closes all its connections', async ({ assert }) => {
    const { owner, company } = await createCompanyWithOwner()
    const token = (
      await User.accessTokens.create(owner, ['*'], { companyId: company.id })
    ).value!.release()
    const socket = open({ token })
    await connected(socket)
    const cutOff = nextEvent(socket, 'disconnect')
    await new UsersService().setDisabled(owner, true)
    assert.equal(await cutOff, 'io server disconnect')
  })

  test('a token without events:read hears about its user, not about the company', async ({
    assert,
  }) => {
    const { owner, company } = await createCompanyWithOwner()
    const token = (
      await User.accessTokens.create(owner, ['telemetry:write'], { companyId: company.id })
    ).value!.release()
    const socket = open({ token })
    await connected(socket)
    const realtime = await app.container.make(Realtime)
    const quiet = silence(socket, 'demo.company')
    const own = nextEvent(socket, 'demo.user')
    realtime.toCompany(company.id).emit('demo.company', 'team news')
    realtime.toUser(owner.id).emit('demo.user', 'for you')
    assert.isTrue(await quiet)
    assert.equal(await own, 'for you')
  })
})
