import { test } from '@japa/runner'
import mail from '@adonisjs/mail/services/main'
import VerifyEmailNotification from '#accounts/mails/verify_email_notification'
import { isolate } from '#tests/helpers/database'
import { flash } from '#tests/helpers/http'
import { UserFactory, createCompanyWithOwner } from '#accounts/database/factories/user_factory'
import { EmailVerificationService } from '#accounts/services/email_verification_service'

test.group('Email verification', (group) => {
  isolate(group)

  test('the signed link from the mail confirms the address', async ({ client, assert }) => {
    const user = await UserFactory.apply('unverified').create()
    const url = new URL(new EmailVerificationService().linkFor(user))
    const response = await client.get(url.pathname + url.search).redirects(0)
    response.assertHeader('location', '/dashboard')
    await user.refresh()
    assert.isNotNull(user.emailVerifiedAt)
  })

  test('a tampered link confirms nothing', async ({ client, assert }) => {
    const user = await UserFactory.apply('unverified').create()
    const other = await UserFactory.apply('unverified').create()
    const url = new URL(new EmailVerificationService().linkFor(user))
    const response = await client
      .get(url.pathname.replace(String(user.id), String(other.id)) + url.search)
      .redirects(0)
    assert.equal(flash(response, 'error'), 'This link is invalid or has expired.')
    await other.refresh()
    assert.isNull(other.emailVerifiedAt)
  })

  test('a link sent to a previous address stops working after the email changes', async ({
    client,
    assert,
  }) => {
    const user = await UserFactory.apply('unverified').create()
    const url = new URL(new EmailVerificationService().linkFor(user))
    user.email = `changed.${user.email}`
    await user.save()
    await client.get(url.pathname + url.search)
    await user.refresh()
    assert.isNull(user.emailVerifiedAt)
  })

  test('signed-in users can ask for the mail again', async ({ client }) => {
    using fake = mail.fake()
    const { owner } = await createCompanyWithOwner({ emailVerifiedAt: null })
    await client.post('/verify-email').withCsrfToken().loginAs(owner).redirects(0)
    fake.mails.assertQueuedCount(VerifyEmailNotification, 1)
  })
})
