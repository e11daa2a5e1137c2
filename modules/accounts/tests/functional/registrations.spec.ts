import { test } from '@japa/runner'
import mail from '@adonisjs/mail/services/main'
import User from '#accounts/models/user'
import Company from '#accounts/models/company'
import Membership from '#accounts/models/membership'
import VerifyEmailNotification from '#accounts/mails/verify_email_notification'
import { isolate } from '#tests/helpers/database'
import { fieldErrors } from '#tests/helpers/http'
import { createCompanyWithOwner } from '#accounts/database/factories/user_factory'

test.group('Sign-up', (group) => {
  isolate(group)

  test('creates the account, its personal company with the person as owner, and signs in', async ({
    client,
    assert,
  }) => {
    using fake = mail.fake()
    const response = await client
      .post('/signup')
      .withCsrfToken()
      .form({
        fullName: 'Grace Hopper',
        email: 'Grace@Example.com ',
        password: 'cobol forever 1959',
      })
      .redirects(0)

    response.assertStatus(302)
    response.assertHeader('location', '/dashboard')
    const user = await User.findByOrFail('email', 'grace@example.com')
    response.assertSession('auth_web', user.id)
    assert.notEqual(user.password, 'cobol forever 1959')
    assert.isNull(user.emailVerifiedAt)

    const membership = await Membership.query()
      .where('userId', user.id)
      .preload('company')
      .firstOrFail()
    assert.equal(membership.role, 'owner')
    assert.isTrue(membership.company.personal)
    assert.equal(membership.company.name, "Grace Hopper's company")
    assert.equal(user.currentCompanyId, membership.companyId)

    fake.mails.assertQueued(VerifyEmailNotification, ({ message }) => {
      message.assertTo('grace@example.com')
      return message.toJSON().message.text!.toString().includes('/verify-email/')
    })
  })

  test('refuses an email that already has an account, changing nothing', async ({
    client,
    assert,
  }) => {
    const { owner } = await createCompanyWithOwner()
    const before = await Company.query().count('* as total')
    const response = await client
      .post('/signup')
      .withCsrfToken()
      .form({ email: owner.email.toUpperCase(), password: 'long enough pw' })
      .redirects(0)
    response.assertStatus(302)
    assert.deepEqual(fieldErrors(response), {
      email: ['An account with this email already exists'],
    })
    response.assertSessionMissing('auth_web')
    const after = await Company.query().count('* as total')
    assert.equal(after[0].$extras.total, before[0].$extras.total)
  })

  test('explains invalid input field by field', async ({ client, assert }) => {
    const response = await client
      .post('/signup')
      .withCsrfToken()
      .form({ email: 'not-an-email', password: 'short' })
      .redirects(0)
    response.assertStatus(302)
    assert.match(fieldErrors(response).email[0], /valid email/)
    assert.match(fieldErrors(response).password[0], /at least 8/)
    assert.equal(
      await User.query()
        .count('* as total')
        .then((rows) => Number(rows[0].$extras.total)),
      0
    )
  })

  test('refuses a form without a CSRF token', async ({ client, assert }) => {
    const response = await client
      .post('/signup')
      .form({ email: 'csrf@example.com', password: 'long enough pw' })
      .redirects(0)
    assert.notEqual(response.status(), 200)
    assert.isNull(await User.findBy('email', 'csrf@example.com'))
  })
})
