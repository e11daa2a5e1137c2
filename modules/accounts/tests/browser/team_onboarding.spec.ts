import { test } from '@japa/runner'
import { mkdir } from 'node:fs/promises'
import app from '@adonisjs/core/services/app'
import mail from '@adonisjs/mail/services/main'
import Company from '#accounts/models/company'
import InvitationNotification from '#accounts/mails/invitation_notification'
import { isolate } from '#tests/helpers/database'

/*
| The whole onboarding, in Chromium: a founder signs up, creates a company and invites a
| teammate, who accepts in a second browser (signing up on the way); the founder then creates
| an API token and a script uses it. Screenshots land in tmp/screenshots/ for a look.
*/
const shots = app.makePath('tmp/screenshots')
const baseUrl = () => `http://${process.env.HOST}:${process.env.PORT}`

test.group('Team onboarding in the browser', (group) => {
  isolate(group)
  group.setup(async () => {
    await mkdir(shots, { recursive: true })
  })

  test('sign up, create a company, invite, accept elsewhere, create and use an API token', async ({
    visit,
    browser,
    assert,
  }) => {
    using fakeMail = mail.fake()

    const founder = await visit('/signup')
    await founder.fill('#fullName', 'Frances Founder')
    await founder.fill('#email', 'frances@rockets.test')
    await founder.fill('#password', 'to the moon and back')
    await founder.click('button[type=submit]')
    await founder.waitForURL('**/dashboard')
    await founder.assertTextContains('h1', 'Hello, Frances Founder')

    await founder.goto('/companies/new')
    await founder.fill('#name', 'Acme Rockets')
    await founder.click('button[type=submit]')
    await founder.waitForURL(/\/companies\/\d+\/members$/)
    const company = await Company.findByOrFail('name', 'Acme Rockets')
    await founder.assertTextContains('[data-test=current-company], h1 + p', 'Acme Rockets')

    await founder.fill('#email', 'teammate@rockets.test')
    await founder.selectOption('#role', 'admin')
    await founder.click('text=Send invitation')
    await founder.waitForSelector('[data-invitation="teammate@rockets.test"]')
    await founder.screenshot({ path: `${shots}/members.png`, fullPage: true })
    const [sent] = fakeMail.mails.queued((m) => m instanceof InvitationNotification)
    const link = new URL((sent as InvitationNotification).url)

    /* The teammate has no account yet and opens the link in another browser. */
    const otherBrowser = await browser.newContext({ baseURL: baseUrl() })
    const teammate = await otherBrowser.newPage()
    await teammate.goto(link.pathname)
    await teammate.getByText('Join Acme Rockets').waitFor()
    await teammate.screenshot({ path: `${shots}/invitation.png` })
    await teammate.click('text=Create an account and join')
    await teammate.waitForURL(/\/signup\?invitation=/)
    assert.equal(await teammate.inputValue('#email'), 'teammate@rockets.test')
    await teammate.fill('#fullName', 'Tom Teammate')
    await teammate.fill('#password', 'happy to be here')
    await teammate.click('button[type=submit]')
    await teammate.waitForURL('**/dashboard')
    await teammate.getByText('You joined Acme Rockets.').waitFor()
    assert.equal(await teammate.textContent('[data-test=current-company]'), 'Acme Rockets')
    await teammate.screenshot({ path: `${shots}/teammate-dashboard.png` })
    await otherBrowser.close()

    await founder.reload()
    await founder.waitForSelector('[data-member="teammate@rockets.test"]')

    await founder.goto(`/companies/${company.id}/tokens`)
    await founder.fill('#name', 'Deploy script')
    await founder.check('input[value="members:read"]')
    await founder.click('text=Create token')
    const token = (await founder.textContent('[data-test=token-value]'))!.trim()
    assert.match(token, /^tdm_/)
    await founder.screenshot({ path: `${shots}/api-tokens.png`, fullPage: true })

    const me = await fetch(`${baseUrl()}/api/v1/me`, {
      headers: { authorization: `Bearer ${token}` },
    })
    assert.equal(me.status, 200)
    const body = (await me.json()) as any
    assert.equal(body.company.name, 'Acme Rockets')
    assert.equal(body.user.email, 'frances@rockets.test')
    assert.deepEqual(body.abilities, ['members:read'])

    await founder.reload()
    await founder.waitForSelector('[data-token="Deploy script"]')
    assert.notEqual(
      await founder.textContent('[data-token="Deploy script"] [data-test=last-used]'),
      'never'
    )
  }).timeout(120_000)
})
