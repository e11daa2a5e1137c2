import { test } from '@japa/runner'
import hash from '@adonisjs/core/services/hash'
import mail from '@adonisjs/mail/services/main'
import User from '#accounts/models/user'
import Company from '#accounts/models/company'
import EmailChangeNotification from '#accounts/mails/email_change_notification'
import EmailChangeAlert from '#accounts/mails/email_change_alert'
import { isolate } from '#tests/helpers/database'
import { flash, fieldErrors } from '#tests/helpers/http'
import {
  createCompanyWithOwner,
  createMember,
  PASSWORD,
  UserFactory,
} from '#accounts/database/factories/user_factory'

test.group('Profile and account', (group) => {
  isolate(group)

  test('updates the name at once', async ({ client, assert }) => {
    const { owner } = await createCompanyWithOwner()
    await client
      .put('/profile')
      .withCsrfToken()
      .loginAs(owner)
      .form({ fullName: 'Ada King', email: owner.email })
    await owner.refresh()
    assert.equal(owner.fullName, 'Ada King')
  })

  test('a new email needs the current password and the new address’s confirmation', async ({
    client,
    assert,
  }) => {
    const { owner } = await createCompanyWithOwner()
    const original = owner.email

    const refused = await client
      .put('/profile')
      .withCsrfToken()
      .loginAs(owner)
      .form({ fullName: 'x', email: 'new@example.test' })
      .redirects(0)
    assert.deepEqual(fieldErrors(refused), { currentPassword: ['The password is not correct'] })
    await owner.refresh()
    assert.isNull(owner.pendingEmail)

    using fake = mail.fake()
    await client
      .put('/profile')
      .withCsrfToken()
      .loginAs(owner)
      .form({ fullName: 'x', email: 'New@Example.test', currentPassword: PASSWORD })
    await owner.refresh()
    assert.equal(owner.email, original)
    assert.equal(owner.pendingEmail, 'new@example.test')
    const page = await client.get('/profile').loginAs(owner).withInertia()
    page.assertInertiaPropsContains({
      profile: { email: original, pendingEmail: 'new@example.test' },
    })
    fake.mails.assertQueued(EmailChangeAlert, ({ message }) => message.hasTo(original))
    const [confirmation] = fake.mails.queued((m) => m instanceof EmailChangeNotification)
    confirmation.message.assertTo('new@example.test')

    const link = new URL((confirmation as EmailChangeNotification).url)
    const opened = await client.get(link.pathname + link.search).redirects(0)
    opened.assertHeader('location', '/profile')
    await owner.refresh()
    assert.equal(owner.email, 'new@example.test')
    assert.isNull(owner.pendingEmail)
    assert.isNotNull(owner.emailVerifiedAt)
  })

  test('a confirmation link for a superseded request changes nothing', async ({
    client,
    assert,
  }) => {
    const { owner } = await createCompanyWithOwner()
    using fake = mail.fake()
    await client
      .put('/profile')
      .withCsrfToken()
      .loginAs(owner)
      .form({ fullName: 'x', email: 'first@example.test', currentPassword: PASSWORD })
    await client
      .put('/profile')
      .withCsrfToken()
      .loginAs(owner)
      .form({ fullName: 'x', email: 'second@example.test', currentPassword: PASSWORD })
    const [first] = fake.mails.queued((m) => m instanceof EmailChangeNotification)
    const link = new URL((first as EmailChangeNotification).url)
    const opened = await client.get(link.pathname + link.search).redirects(0)
    assert.equal(flash(opened, 'error'), 'This link is invalid or has expired.')
    await owner.refresh()
    assert.equal(owner.pendingEmail, 'second@example.test')
    assert.notEqual(owner.email, 'first@example.test')
  })

  test('refuses an email used by another account', async ({ client, assert }) => {
    const { owner } = await createCompanyWithOwner()
    const other = await UserFactory.create()
    const response = await client
      .put('/profile')
      .withCsrfToken()
      .loginAs(owner)
      .form({ fullName: 'x', email: other.email, currentPassword: PASSWORD })
      .redirects(0)
    assert.deepEqual(fieldErrors(response), {
      email: ['An account with this email already exists'],
    })
    await owner.refresh()
    assert.notEqual(owner.email, other.email)
  })

  test('changes the password only with the current one', async ({ client, assert }) => {
    const { owner } = await createCompanyWithOwner()
    const wrong = await client
      .put('/profile/password')
      .withCsrfToken()
      .loginAs(owner)
      .form({
        currentPassword: 'not it at all',
        password: 'next passphrase',
        passwordConfirmation: 'next passphrase',
      })
      .redirects(0)
    assert.deepEqual(fieldErrors(wrong), { currentPassword: ['The password is not correct'] })

    await client.put('/profile/password').withCsrfToken().loginAs(owner).form({
      currentPassword: PASSWORD,
      password: 'next passphrase',
      passwordConfirmation: 'next passphrase',
    })
    await owner.refresh()
    assert.isTrue(await hash.verify(owner.password, 'next passphrase'))
  })

  test('deleting the account deletes the companies only they belong to', async ({
    client,
    assert,
  }) => {
    const { owner, company } = await createCompanyWithOwner()
    const response = await client
      .delete('/account')
      .withCsrfToken()
      .loginAs(owner)
      .form({ password: PASSWORD })
      .redirects(0)
    response.assertHeader('location', '/')
    assert.isNull(await User.find(owner.id))
    assert.isNull(await Company.find(company.id))
  })

  test('the last owner of a company with other members cannot delete the account', async ({
    client,
    assert,
  }) => {
    const { owner, company } = await createCompanyWithOwner()
    await createMember(company, 'member')
    const response = await client
      .delete('/account')
      .withCsrfToken()
      .loginAs(owner)
      .form({ password: PASSWORD })
      .redirects(0)
    assert.match(flash(response, 'error'), /last owner of/)
    assert.isNotNull(await User.find(owner.id))
  })

  test('a co-owner can delete the account; the company stays', async ({ client, assert }) => {
    const { owner, company } = await createCompanyWithOwner()
    await createMember(company, 'owner')
    await client.delete('/account').withCsrfToken().loginAs(owner).form({ password: PASSWORD })
    assert.isNull(await User.find(owner.id))
    assert.isNotNull(await Company.find(company.id))
  })

  test('a wrong password deletes nothing', async ({ client, assert }) => {
    const { owner } = await createCompanyWithOwner()
    await client.delete('/account').withCsrfToken().loginAs(owner).form({ password: 'wrong' })
    assert.isNotNull(await User.find(owner.id))
  })
})
