import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { createCompanyWithOwner } from '#accounts/database/factories/user_factory'
import { deleteCompanyCredits } from '#credits/database/factories/cleanup'
import { ace } from '#tests/helpers/app_process'
import {
  balanceOf,
  deliver,
  eventsOf,
  aceEnv,
  buyAndPay,
  subscribeAndPay,
  withStandin,
} from '#billing/tests/helpers/billing'

/*
| Races need real commits (no wrapping transaction): ten parallel deliveries of one event, and
| `node ace billing:sync` as its own process recovering events that were never delivered.
| Each test removes what it created.
*/
test.group('Stripe webhooks under races, and billing:sync', (group) => {
  const stripe = withStandin(group)
  const created: number[] = []
  group.each.teardown(async () => {
    for (const companyId of created.splice(0)) {
      const ids = await db.from('billing_events').select('id')
      await db
        .from('billing_events')
        .whereIn(
          'id',
          ids.map((row) => row.id)
        )
        .delete()
      await deleteCompanyCredits(companyId)
      await db.from('companies').where('id', companyId).delete()
    }
  })
  const company = async () => {
    const made = await createCompanyWithOwner()
    created.push(made.company.id)
    return made
  }

  test('the same event delivered 10 times at once is applied once', async ({ assert }) => {
    const { company: acme, owner } = await company()
    stripe.standin.paused = true
    await subscribeAndPay(stripe.standin, acme, owner)
    for (const type of ['checkout.session.completed', 'customer.subscription.created'])
      assert.equal((await deliver(stripe.standin, eventsOf(stripe.standin, type)[0])).status, 200)

    const [paid] = eventsOf(stripe.standin, 'invoice.paid')
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => deliver(stripe.standin, paid))
    )
    assert.deepEqual(
      answers.map((a) => a.status),
      Array(10).fill(200)
    )
    assert.deepEqual(answers.map((a) => a.body.outcome).sort(), [
      'applied',
      ...Array(9).fill('duplicate'),
    ])
    assert.equal(await balanceOf(acme.id), 1000)
    assert.lengthOf(
      await db.from('credit_entries').where({ company_id: acme.id, type: 'purchase' }),
      1
    )
    const row = await db.from('billing_events').where('id', paid.id).first()
    assert.containsSubset(row, { status: 'processed', attempts: 1 })
  }).timeout(30_000)

  test('racing checkout.session.completed and subscription.created make one subscription row', async ({
    assert,
  }) => {
    const { company: acme, owner } = await company()
    stripe.standin.paused = true
    await subscribeAndPay(stripe.standin, acme, owner)
    const events = ['checkout.session.completed', 'customer.subscription.created'].map(
      (type) => eventsOf(stripe.standin, type)[0]
    )
    const answers = await Promise.all(
      [...events, ...events].map((event) => deliver(stripe.standin, event))
    )
    assert.isTrue(answers.every((a) => a.status === 200))
    const rows = await db.from('billing_subscriptions').where('company_id', acme.id)
    assert.lengthOf(rows, 1)
    assert.equal(rows[0].status, 'trialing')
  }).timeout(30_000)

  test('two refunds of one payment at once take back exactly their share', async ({ assert }) => {
    const { company: acme, owner } = await company()
    const session = await buyAndPay(stripe.standin, acme, owner, 'small')
    assert.equal(await balanceOf(acme.id), 1000)
    stripe.standin.paused = true
    const charge = stripe.standin.store.get(session.payment_intent, 'payment_intent')!.latest_charge
    await stripe.standin.store.refund(charge, 300)
    await stripe.standin.store.refund(charge, 300)
    const refunds = eventsOf(stripe.standin, 'charge.refunded')
    assert.deepEqual(
      refunds.map((e) => e.data.object.amount_refunded),
      [300, 600]
    )
    const answers = await Promise.all(
      [...refunds, ...refunds].map((e) => deliver(stripe.standin, e))
    )
    assert.isTrue(answers.every((a) => a.status === 200))
    assert.equal(await balanceOf(acme.id), 400)
    const row = await db.from('billing_payments').where('company_id', acme.id).first()
    assert.equal(Number(row.credits_taken_back), 600)
    const taken = await db.from('credit_entries').where({ company_id: acme.id, type: 'adjust' })
    assert.equal(
      taken.reduce((sum, entry) => sum + Number(entry.amount), 0),
      -600
    )
  }).timeout(30_000)

  test('billing:sync applies the events a webhook outage lost, and a second run changes nothing', async ({
    assert,
  }) => {
    const { company: acme, owner } = await company()
    stripe.standin.paused = true
    await subscribeAndPay(stripe.standin, acme, owner, 'pro', 'yearly')
    assert.equal(await balanceOf(acme.id), 0)

    const env = aceEnv(stripe.standin)
    const first = JSON.parse(
      (await ace(['billing:sync', '--since=1h', '--json'], env)).trim().split('\n').at(-1)!
    )
    assert.containsSubset(first, { events: 3, applied: 3, alreadyApplied: 0, failed: [] })
    assert.equal(await balanceOf(acme.id), 5000)
    const row = await db.from('billing_subscriptions').where('company_id', acme.id).first()
    assert.containsSubset(row, { plan: 'pro', interval: 'yearly' })

    const second = JSON.parse(
      (await ace(['billing:sync', '--since=1h', '--json'], env)).trim().split('\n').at(-1)!
    )
    assert.containsSubset(second, { events: 3, applied: 0, alreadyApplied: 3, failed: [] })
    assert.equal(await balanceOf(acme.id), 5000)
    assert.lengthOf(
      await db.from('credit_entries').where({ company_id: acme.id, type: 'purchase' }),
      1
    )
  }).timeout(90_000)
})
