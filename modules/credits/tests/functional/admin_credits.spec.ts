import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { isolate } from '#tests/helpers/database'
import { fieldErrors, flash } from '#tests/helpers/http'
import { createCompanyWithOwner, UserFactory } from '#accounts/database/factories/user_factory'
import { entries, grant } from '#credits/tests/helpers/credits'

test.group('Credits for platform admins', (group) => {
  isolate(group)

  test('admins see every company balance and any ledger; others cannot', async ({
    client,
    assert,
  }) => {
    const admin = await UserFactory.apply('admin').create()
    const { company, owner } = await createCompanyWithOwner()
    await grant(company.id, 42)

    const list = await client.get('/admin/credits').loginAs(admin).withInertia()
    list.assertStatus(200)
    const row = (list.inertiaProps as any).companies.find((c: any) => c.id === company.id)
    assert.include(row, { balance: 42, available: 42, slug: company.slug })

    const show = await client
      .get(`/admin/companies/${company.id}/credits`)
      .loginAs(admin)
      .withInertia()
    show.assertInertiaComponent('credits/admin/show')
    assert.equal((show.inertiaProps as any).entries.data[0].amount, 42)

    const refused = await client.get(`/admin/companies/${company.id}/credits`).loginAs(owner)
    assert.include([403, 404], refused.status())
  })

  test('a grant needs a reason and lands in the ledger and the audit log', async ({
    client,
    assert,
  }) => {
    const admin = await UserFactory.apply('admin').create()
    const { company } = await createCompanyWithOwner()
    const url = `/admin/companies/${company.id}/credits/grants`

    const missing = await client
      .post(url)
      .withCsrfToken()
      .loginAs(admin)
      .form({ amount: 100, kind: 'paid' })
      .redirects(0)
    assert.property(fieldErrors(missing), 'reason')
    assert.lengthOf(await entries(company.id), 0)

    await client
      .post(url)
      .withCsrfToken()
      .loginAs(admin)
      .form({ amount: 100, kind: 'paid', expiresOn: '2099-12-31', reason: 'Goodwill after outage' })
    const [entry] = await entries(company.id, 'grant')
    assert.equal(Number(entry.amount), 100)
    assert.equal(entry.actor_type, 'admin')
    assert.equal(entry.actor_id, String(admin.id))
    const grantRow = await db.from('credit_grants').where('entry_id', entry.id).first()
    assert.equal(grantRow.kind, 'paid')
    assert.equal(Number(grantRow.expires_at), Date.parse('2099-12-31T23:59:59.999Z'))
    const audit = await db.from('audit_logs').where('action', 'credits.granted').first()
    assert.equal(audit.subject_id, String(company.id))
    assert.include(audit.after, 'Goodwill after outage')
  })

  test('adjustments add or take out credits, never below zero', async ({ client, assert }) => {
    const admin = await UserFactory.apply('admin').create()
    const { company } = await createCompanyWithOwner()
    await grant(company.id, 10)
    const url = `/admin/companies/${company.id}/credits/adjustments`
    const adjust = (amount: number) =>
      client
        .post(url)
        .withCsrfToken()
        .loginAs(admin)
        .form({ amount, reason: 'Billing correction' })
        .redirects(0)

    const tooMuch = await adjust(-11)
    assert.match(flash(tooMuch, 'error'), /Not enough credits/)
    assert.lengthOf(await entries(company.id, 'adjust'), 0)

    await adjust(-4)
    await adjust(6)
    assert.deepEqual(
      (await entries(company.id, 'adjust')).map((e: any) => Number(e.amount)),
      [-4, 6]
    )
    const [last] = await db
      .from('credit_accounts')
      .where('company_id', company.id)
      .select('balance')
    assert.equal(Number(last.balance), 12)
    const audits = await db.from('audit_logs').where('action', 'credits.adjusted')
    assert.lengthOf(audits, 2)
  })
})
