import { test } from '@japa/runner'
import router from '@adonisjs/core/services/router'
import User from '#accounts/models/user'
import { isolate } from '#tests/helpers/database'
import { setCookies, apiErrors } from '#tests/helpers/http'
import { createCompanyWithOwner, PASSWORD } from '#accounts/database/factories/user_factory'

test.group('HTTP security and error shape', (group) => {
  isolate(group)

  test('pages carry the security headers', async ({ client, assert }) => {
    const response = await client.get('/login')
    const headers = response.headers()
    assert.match(headers['content-security-policy'], /default-src 'self'/)
    assert.match(headers['content-security-policy'], /frame-ancestors 'none'/)
    assert.match(headers['content-security-policy'], /object-src 'none'/)
    assert.equal(headers['x-frame-options'], 'DENY')
    assert.equal(headers['x-content-type-options'], 'nosniff')
    /* HSTS and Secure cookies follow APP_URL: this test server is plain http. */
    assert.isUndefined(headers['strict-transport-security'])
  })

  test('session and CSRF cookies are http-only where they can be, and SameSite', async ({
    client,
    assert,
  }) => {
    const response = await client.get('/login')
    const cookies = setCookies(response)
    const session = cookies.find((line) => line.startsWith('tandem_session='))!
    assert.match(session, /HttpOnly/)
    assert.match(session, /SameSite=Lax/)
    const xsrf = cookies.find((line) => line.startsWith('XSRF-TOKEN='))!
    assert.match(xsrf, /SameSite=Lax/)
  })

  test('state-changing forms need the CSRF token', async ({ client, assert }) => {
    const { owner, company } = await createCompanyWithOwner()
    const response = await client
      .put(`/companies/${company.id}`)
      .loginAs(owner)
      .form({ name: 'No token' })
      .redirects(0)
    response.assertStatus(302)
    const refused = await client
      .put(`/companies/${company.id}`)
      .loginAs(owner)
      .header('accept', 'application/json')
      .json({ name: 'x' })
    refused.assertStatus(403)
    assert.equal(apiErrors(refused)[0].code, 'E_BAD_CSRF_TOKEN')
    await company.refresh()
    assert.notEqual(company.name, 'No token')
  })

  test('API errors use one shape with a stable code and the request id', async ({
    client,
    assert,
  }) => {
    const response = await client.get('/api/v1/nothing-here')
    response.assertStatus(404)
    assert.deepEqual(apiErrors(response), [
      { code: 'E_ROUTE_NOT_FOUND', message: 'Cannot GET:/api/v1/nothing-here' },
    ])
    assert.match(response.header('x-request-id') ?? '', /^[\w-]{20,}$/)
  })

  test('the API is stateless: no session, no cookies, even on success', async ({
    client,
    assert,
  }) => {
    const { owner, company } = await createCompanyWithOwner()
    const token = await User.accessTokens.create(owner, ['*'], { companyId: company.id })
    const response = await client.get('/api/v1/me').bearerToken(token.value!.release())
    response.assertStatus(200)
    assert.deepEqual(setCookies(response), [])
    assert.equal(response.header('x-content-type-options'), 'nosniff')
  })

  test('an oversized body is refused early with 413', async ({ client, assert }) => {
    const { owner } = await createCompanyWithOwner()
    const response = await client
      .post('/api/v1/auth/tokens')
      .json({ email: owner.email, password: PASSWORD, deviceName: 'x'.repeat(2 * 1024 * 1024) })
    response.assertStatus(413)
    assert.equal(apiErrors(response)[0].code, 'E_REQUEST_ENTITY_TOO_LARGE')
  })

  test('the API accepts cross-origin calls without cookies', async ({ client, assert }) => {
    const response = await client
      .options('/api/v1/me')
      .header('origin', 'https://desktop.example')
      .header('access-control-request-method', 'GET')
    assert.equal(response.header('access-control-allow-origin'), 'https://desktop.example')
    assert.notEqual(response.header('access-control-allow-credentials'), 'true')
  })
})

test.group('API description', () => {
  test('serves an OpenAPI document listing the public routes', async ({ client, assert }) => {
    const response = await client.get('/api/v1/openapi.json')
    response.assertStatus(200)
    assert.equal(response.body().openapi, '3.1.0')
    assert.includeMembers(Object.keys(response.body().paths), [
      '/auth/tokens',
      '/auth/tokens/current',
      '/me',
      '/members',
    ])
    assert.match(response.body().servers[0].url, /\/api\/v1$/)
  })

  test('documents every /api/v1 route that exists', async ({ client, assert }) => {
    const { paths } = (await client.get('/api/v1/openapi.json')).body()
    const routes = Object.values(router.toJSON())
      .flat()
      .filter(
        (route) => route.pattern.startsWith('/api/v1/') && route.pattern !== '/api/v1/openapi.json'
      )
    assert.isAbove(routes.length, 3)
    for (const route of routes) {
      const path = route.pattern.replace('/api/v1', '').replace(/:(\w+)/g, '{$1}')
      for (const method of route.methods.filter((m) => m !== 'HEAD')) {
        assert.property(
          paths[path] ?? {},
          method.toLowerCase(),
          `${method} ${route.pattern} is not in the OpenAPI document`
        )
      }
    }
  })
})
