import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import db from '@adonisjs/lucid/services/db'
import { Scrypt } from '@adonisjs/core/hash/drivers/scrypt'
import User from '#accounts/models/user'
import { isolate } from '#tests/helpers/database'
import { flash, setCookies, fieldErrors } from '#tests/helpers/http'
import { createCompanyWithOwner, PASSWORD } from '#accounts/database/factories/user_factory'

/* POSTs the login form the way the page does (CSRF token, no redirect following). */
function login(client: ApiClient, form: Record<string, string>) {
  return client.post('/login').withCsrfToken().form(form).redirects(0)
}

test.group('Sessions', (group) => {
  isolate(group)

  test('logs in with the right password and lands on the dashboard', async ({ client }) => {
    const { owner } = await createCompanyWithOwner()
    const response = await login(client, { email: owner.email, password: PASSWORD })
    response.assertStatus(302)
    response.assertHeader('location', '/dashboard')
    response.assertSession('auth_web', owner.id)
  })

  test('accepts the email in any case', async ({ client }) => {
    const { owner } = await createCompanyWithOwner()
    const response = await login(client, { email: owner.email.toUpperCase(), password: PASSWORD })
    response.assertSession('auth_web', owner.id)
  })

  test('rotates the session id on login (no session fixation)', async ({ client, assert }) => {
    const { owner } = await createCompanyWithOwner()
    const page = await client.get('/login')
    const before = page.cookie('tandem_session')?.value
    const response = await client
      .post('/login')
      .withCsrfToken()
      .withCookie('tandem_session', before)
      .form({ email: owner.email, password: PASSWORD })
      .redirects(0)
    const after = response.cookie('tandem_session')?.value
    assert.isString(before)
    assert.isString(after)
    assert.notEqual(after, before)
  })

  test('"remember me" sets a long-lived, http-only remember cookie', async ({ client, assert }) => {
    const { owner } = await createCompanyWithOwner()
    const response = await login(client, {
      email: owner.email,
      password: PASSWORD,
      remember: 'true',
    })
    const cookie = setCookies(response).find((line: string) => line.startsWith('remember_web='))
    assert.exists(cookie)
    assert.match(cookie!, /HttpOnly/i)
    assert.match(cookie!, /Max-Age=2592000/)
    const rows = await User.rememberMeTokens.all(owner)
    assert.lengthOf(rows, 1)
  })

  test('refuses a wrong password without signing in', async ({ client }) => {
    const { owner } = await createCompanyWithOwner()
    const response = await login(client, { email: owner.email, password: 'nope nope' })
    response.assertStatus(302)
    response.assertSessionMissing('auth_web')
  })

  test('refuses a disabled account even with the right password', async ({ client, assert }) => {
    const { owner } = await createCompanyWithOwner()
    owner.disabledAt = owner.createdAt
    await owner.save()
    const response = await login(client, { email: owner.email, password: PASSWORD })
    response.assertSessionMissing('auth_web')
    assert.equal(flash(response, 'error'), 'This account is disabled')
  })

  test('locks an account after 5 failed passwords, even for the right one', async ({
    client,
    assert,
  }) => {
    const { owner } = await createCompanyWithOwner()
    for (let attempt = 0; attempt < 5; attempt++) {
      await login(client, { email: owner.email, password: 'wrong password' })
    }
    const response = await login(client, { email: owner.email, password: PASSWORD })
    response.assertSessionMissing('auth_web')
    assert.match(flash(response, 'error'), /Too many failed attempts. Try again in 15 minutes/)
  })

  test('a success clears the account counter', async ({ client }) => {
    const { owner } = await createCompanyWithOwner()
    for (let attempt = 0; attempt < 4; attempt++) {
      await login(client, { email: owner.email, password: 'wrong password' })
    }
    await login(client, { email: owner.email, password: PASSWORD })
    for (let attempt = 0; attempt < 4; attempt++) {
      await login(client, { email: owner.email, password: 'wrong password' })
    }
    const response = await login(client, { email: owner.email, password: PASSWORD })
    response.assertSession('auth_web', owner.id)
  })

  test('validates the form', async ({ client, assert }) => {
    const response = await login(client, { email: '' })
    assert.containsSubset(Object.keys(fieldErrors(response)), ['email', 'password'])
  })

  test('logs out and forgets the session', async ({ client }) => {
    const { owner } = await createCompanyWithOwner()
    const response = await client.post('/logout').withCsrfToken().loginAs(owner).redirects(0)
    response.assertHeader('location', '/login')
    response.assertSessionMissing('auth_web')
  })

  test('keeps signed-in users away from the login page and visitors away from the app', async ({
    client,
  }) => {
    const { owner } = await createCompanyWithOwner()
    const signedIn = await client.get('/login').loginAs(owner).redirects(0)
    signedIn.assertHeader('location', '/dashboard')
    const visitor = await client.get('/dashboard').redirects(0)
    visitor.assertHeader('location', '/login')
  })

  test('upgrades a password hash made with older parameters at login', async ({
    client,
    assert,
  }) => {
    const { owner } = await createCompanyWithOwner()
    const old = await new Scrypt({ cost: 2048, blockSize: 8, parallelization: 1 }).make(PASSWORD)
    await db.from('users').where('id', owner.id).update({ password: old })
    const response = await login(client, { email: owner.email, password: PASSWORD })
    response.assertSession('auth_web', owner.id)
    await owner.refresh()
    assert.notEqual(owner.password, old)
    assert.match(owner.password, /^\$scrypt\$n=1024,/)
  })

  test('locks an IP after 50 failed logins, whatever the account', async ({ client }) => {
    const { owner } = await createCompanyWithOwner()
    for (let attempt = 0; attempt < 50; attempt++) {
      await client
        .post('/login')
        .withCsrfToken()
        .form({ email: `guess${attempt}@example.test`, password: 'x' })
        .redirects(0)
    }
    const response = await login(client, { email: owner.email, password: PASSWORD })
    response.assertSessionMissing('auth_web')
  }).timeout(60_000)

  test('returns to the page that asked for the login, never to another site', async ({
    client,
  }) => {
    const { owner } = await createCompanyWithOwner()
    const back = await login(client, {
      email: owner.email,
      password: PASSWORD,
      redirect: '/invitations/abc',
    })
    back.assertHeader('location', '/invitations/abc')
    const offsite = await login(client, {
      email: owner.email,
      password: PASSWORD,
      redirect: '/\\evil.example/x',
    })
    offsite.assertHeader('location', '/dashboard')
  })
})
