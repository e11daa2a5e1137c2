import { test } from '@japa/runner'
import mail from '@adonisjs/mail/services/main'
import ResetPasswordNotification from '#accounts/mails/reset_password_notification'
import VerifyEmailNotification from '#accounts/mails/verify_email_notification'
import User from '#accounts/models/user'
import { isolate } from '#tests/helpers/database'
import { flash } from '#tests/helpers/http'
import { createCompanyWithOwner } from '#accounts/database/factories/user_factory'

/* The actions that send mail or hash passwords cannot be repeated without limit. */
test.group('Throttled actions', (group) => {
  isolate(group)

  test('sign-ups: 5 an hour from one address', async ({ client, assert }) => {
    for (let index = 0; index < 5; index++) {
      const ok = await client
        .post('/signup')
        .withCsrfToken()
        .form({ email: `s${index}@example.test`, password: 'long enough pw' })
        .redirects(0)
      ok.assertHeader('location', '/dashboard')
    }
    const refused = await client
      .post('/signup')
      .withCsrfToken()
      .form({ email: 's6@example.test', password: 'long enough pw' })
      .redirects(0)
    assert.match(flash(refused, 'error'), /Too many requests/i)
    assert.isNull(await User.findBy('email', 's6@example.test'))
  })

  test('password reset mails: at most 3 an hour per account, with the same answer', async ({
    client,
    assert,
  }) => {
    const { owner } = await createCompanyWithOwner()
    using fake = mail.fake()
    for (let index = 0; index < 5; index++) {
      const response = await client
        .post('/forgot-password')
        .withCsrfToken()
        .form({ email: owner.email })
        .redirects(0)
      assert.match(flash(response, 'success'), /If an account exists/)
    }
    fake.mails.assertQueuedCount(ResetPasswordNotification, 3)
  })

  test('verification mails: 3 an hour per user', async ({ client, assert }) => {
    const { owner } = await createCompanyWithOwner({ emailVerifiedAt: null })
    using fake = mail.fake()
    for (let index = 0; index < 4; index++)
      await client.post('/verify-email').withCsrfToken().loginAs(owner).redirects(0)
    fake.mails.assertQueuedCount(VerifyEmailNotification, 3)
    assert.lengthOf(fake.mails.queued(), 3)
  })

  test('invitations: 30 an hour per person, API answers 429 with Retry-After', async ({
    client,
    assert,
  }) => {
    const { owner, company } = await createCompanyWithOwner()
    using fake = mail.fake()
    for (let index = 0; index < 30; index++) {
      await client
        .post(`/companies/${company.id}/invitations`)
        .withCsrfToken()
        .loginAs(owner)
        .form({ email: `i${index}@example.test`, role: 'member' })
    }
    const refused = await client
      .post(`/companies/${company.id}/invitations`)
      .withCsrfToken()
      .loginAs(owner)
      .header('accept', 'application/json')
      .json({ email: 'one.more@example.test', role: 'member' })
    refused.assertStatus(429)
    assert.isAbove(Number(refused.header('retry-after')), 0)
    assert.lengthOf(fake.mails.queued(), 30)
  }).timeout(60_000)
})
