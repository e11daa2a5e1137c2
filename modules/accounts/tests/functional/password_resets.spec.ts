import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import hash from '@adonisjs/core/services/hash'
import mail from '@adonisjs/mail/services/main'
import User from '#accounts/models/user'
import PasswordResetToken from '#accounts/models/password_reset_token'
import ResetPasswordNotification from '#accounts/mails/reset_password_notification'
import { isolate } from '#tests/helpers/database'
import { flash, fieldErrors } from '#tests/helpers/http'
import { createCompanyWithOwner } from '#accounts/database/factories/user_factory'

/* Asks for a reset link and returns the path it points to. */
async function requestLink(client: any, email: string) {
  using fake = mail.fake()
  await client.post('/forgot-password').withCsrfToken().form({ email }).redirects(0)
  const [sent] = fake.mails.queued((m) => m instanceof ResetPasswordNotification)
  return sent ? new URL((sent as ResetPasswordNotification).url).pathname : null
}

test.group('Password reset', (group) => {
  isolate(group)

  test('mails a single-use link that sets a new password and signs in', async ({
    client,
    assert,
  }) => {
    const { owner } = await createCompanyWithOwner()
    const path = await requestLink(client, owner.email)
    assert.match(path!, /^\/reset-password\/[\w-]{43}$/)

    const page = await client.get(path!).withInertia()
    page.assertInertiaPropsContains({ valid: true })

    const response = await client
      .post(path!)
      .withCsrfToken()
      .form({ password: 'a brand new passphrase', passwordConfirmation: 'a brand new passphrase' })
      .redirects(0)
    response.assertHeader('location', '/dashboard')
    response.assertSession('auth_web', owner.id)
    await owner.refresh()
    assert.isTrue(await hash.verify(owner.password, 'a brand new passphrase'))

    const again = await client
      .post(path!)
      .withCsrfToken()
      .form({ password: 'yet another passphrase', passwordConfirmation: 'yet another passphrase' })
      .redirects(0)
    assert.deepEqual(fieldErrors(again), { token: ['This reset link is invalid or has expired'] })
    await owner.refresh()
    assert.isTrue(await hash.verify(owner.password, 'a brand new passphrase'))
  })

  test('answers the same whether or not the account exists', async ({ client, assert }) => {
    using fake = mail.fake()
    const response = await client
      .post('/forgot-password')
      .withCsrfToken()
      .form({ email: 'nobody@example.test' })
      .redirects(0)
    response.assertHeader('location', '/login')
    assert.match(flash(response, 'success'), /If an account exists/)
    fake.mails.assertNoneQueued()
  })

  test('refuses an expired link', async ({ client, assert }) => {
    const { owner } = await createCompanyWithOwner()
    const path = await requestLink(client, owner.email)
    const token = await PasswordResetToken.findByOrFail('userId', owner.id)
    token.expiresAt = DateTime.now().minus({ minutes: 1 })
    await token.save()
    const page = await client.get(path!).withInertia()
    page.assertInertiaPropsContains({ valid: false })
    const response = await client
      .post(path!)
      .withCsrfToken()
      .form({ password: 'new passphrase!', passwordConfirmation: 'new passphrase!' })
      .redirects(0)
    assert.property(fieldErrors(response), 'token')
  })

  test('signs out remembered browsers', async ({ client, assert }) => {
    const { owner } = await createCompanyWithOwner()
    await User.rememberMeTokens.create(owner, '30 days')
    const path = await requestLink(client, owner.email)
    await client
      .post(path!)
      .withCsrfToken()
      .form({ password: 'new passphrase!', passwordConfirmation: 'new passphrase!' })
    assert.lengthOf(await User.rememberMeTokens.all(owner), 0)
  })

  test('requires the confirmation to match', async ({ client, assert }) => {
    const { owner } = await createCompanyWithOwner()
    const path = await requestLink(client, owner.email)
    const response = await client
      .post(path!)
      .withCsrfToken()
      .form({ password: 'new passphrase!', passwordConfirmation: 'other' })
      .redirects(0)
    assert.property(fieldErrors(response), 'passwordConfirmation')
  })
})
