import { test } from '@japa/runner'
import { isolate } from '#tests/helpers/database'
import { createCompanyWithOwner, PASSWORD } from '#accounts/database/factories/user_factory'

test.group('Sessions', (group) => {
  isolate(group)

  test('logs in with the right password and lands on the dashboard', async ({ client }) => {
    const { owner } = await createCompanyWithOwner()
    const response = await client
      .post('/login')
      .withCsrfToken()
      .form({ email: owner.email, password: PASSWORD })
      .redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/dashboard')
    response.assertSession('auth_web', owner.id)
  })

  test('refuses a wrong password without signing in', async ({ client }) => {
    const { owner } = await createCompanyWithOwner()
    const response = await client
      .post('/login')
      .withCsrfToken()
      .form({ email: owner.email, password: 'nope nope' })
      .redirects(0)
    response.assertStatus(302)
    response.assertSessionMissing('auth_web')
  })
})
