import { test } from '@japa/runner'
import mail from '@adonisjs/mail/services/main'
import app from '@adonisjs/core/services/app'
import { isolate } from '#tests/helpers/database'
import { createCompanyWithOwner, createMember } from '#accounts/database/factories/user_factory'
import { CreditsService } from '#credits/services/credits_service'
import LowBalanceNotification from '#credits/mails/low_balance_notification'
import { grant } from '#credits/tests/helpers/credits'

const actor = { type: 'system' as const }

test.group('Credits pages', (group) => {
  isolate(group)

  test('members see the balance, usage by day, grants, holds and the ledger', async ({
    client,
    assert,
  }) => {
    const { company } = await createCompanyWithOwner()
    const { user: member } = await createMember(company, 'member')
    const credits = await app.container.make(CreditsService)
    await grant(company.id, 100)
    await credits.consume(company.id, { amount: 30, actor, reason: 'render' })
    await credits.hold(company.id, { amount: 20, ttlSeconds: 600, actor, reason: 'upload' })

    const response = await client
      .get(`/companies/${company.id}/credits`)
      .loginAs(member)
      .withInertia()
    response.assertStatus(200)
    response.assertInertiaComponent('credits/credits/index')
    const props = response.inertiaProps as any
    assert.deepEqual(props.balance, { balance: 70, held: 20, available: 50 })
    assert.isFalse(props.canManage)
    assert.lengthOf(props.usage, 30)
    assert.equal(props.usage.at(-1).spent, 30)
    assert.equal(props.usage.at(-1).date, new Date().toISOString().slice(0, 10))
    assert.deepEqual(
      props.entries.data.map((e: any) => e.type),
      ['hold', 'consume', 'grant']
    )
    assert.equal(props.grants[0].remaining, 50)
    assert.equal(props.holds[0].reason, 'upload')

    const filtered = await client
      .get(`/companies/${company.id}/credits`)
      .qs({ type: 'consume' })
      .loginAs(member)
      .withInertia()
    assert.deepEqual(
      (filtered.inertiaProps as any).entries.data.map((e: any) => e.reason),
      ['render']
    )
  })

  test('another company cannot look', async ({ client }) => {
    const { company } = await createCompanyWithOwner()
    const { owner: stranger } = await createCompanyWithOwner()
    const response = await client
      .get(`/companies/${company.id}/credits`)
      .loginAs(stranger)
      .withInertia()
    response.assertStatus(404)
  })

  test('exports the ledger as CSV, formulas neutralised', async ({ client, assert }) => {
    const { company, owner } = await createCompanyWithOwner()
    const credits = await app.container.make(CreditsService)
    await grant(company.id, 10)
    await credits.consume(company.id, { amount: 2, actor, reason: '=HYPERLINK("x"), "quoted"' })
    const response = await client
      .get(`/companies/${company.id}/credits/transactions.csv`)
      .loginAs(owner)
    response.assertStatus(200)
    assert.match(response.header('content-type')!, /text\/csv/)
    assert.match(response.header('content-disposition')!, /attachment; filename="credits-\d+-all-/)
    const lines = response.text().trim().split('\r\n')
    assert.equal(
      lines[0],
      'id,created_at,type,amount,held_change,balance_after,held_after,reason,actor_type,actor_id,grant_id,hold_id,metadata'
    )
    assert.lengthOf(lines, 3)
    assert.include(lines[1], `,consume,-2,0,8,0,"'=HYPERLINK(""x""), ""quoted""",system,`)
  })

  test('owners set the low-balance threshold; members cannot', async ({ client, assert }) => {
    const { company, owner } = await createCompanyWithOwner()
    const { user: admin } = await createMember(company, 'admin')
    const credits = await app.container.make(CreditsService)
    await client
      .put(`/companies/${company.id}/credits/low-balance-threshold`)
      .withCsrfToken()
      .loginAs(owner)
      .form({ threshold: 25 })
    assert.equal((await credits.balance(company.id)).lowBalanceThreshold, 25)

    await client
      .put(`/companies/${company.id}/credits/low-balance-threshold`)
      .withCsrfToken()
      .loginAs(admin)
      .form({ threshold: 5 })
      .redirects(0)
    assert.equal((await credits.balance(company.id)).lowBalanceThreshold, 25)
  })

  test('crossing the threshold tells the owners once per crossing', async ({ assert }) => {
    using fake = mail.fake()
    const { company, owner } = await createCompanyWithOwner()
    const { user: secondOwner } = await createMember(company, 'owner')
    await createMember(company, 'member')
    const credits = await app.container.make(CreditsService)
    await grant(company.id, 100)
    await credits.setLowBalanceThreshold(company.id, 50)

    const spend = (amount: number) =>
      credits.consume(company.id, { amount, actor, reason: 'spend' })
    await spend(40)
    assert.lengthOf(fake.mails.queued(), 0)
    await spend(20)
    await spend(10)
    await new Promise((resolve) => setTimeout(resolve, 50))
    const sent = fake.mails.queued((m) => m instanceof LowBalanceNotification)
    assert.sameMembers(
      sent.map((m) => (m.message.toJSON().message.to as any)[0].address),
      [owner.email, secondOwner.email]
    )
    assert.include(sent[0].message.toJSON().message.text as string, '40 credits available')

    await grant(company.id, 100)
    await spend(90)
    await new Promise((resolve) => setTimeout(resolve, 50))
    assert.lengthOf(
      fake.mails.queued((m) => m instanceof LowBalanceNotification),
      4
    )
  })
})
