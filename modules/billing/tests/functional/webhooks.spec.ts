import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { isolate } from '#tests/helpers/database'
import { createCompanyWithOwner } from '#accounts/database/factories/user_factory'
import {
  balanceOf,
  buyAndPay,
  deliver,
  eventsOf,
  subscribeAndPay,
  withStandin,
} from '#billing/tests/helpers/billing'

/*
| POST /webhooks/stripe against events made by the stand-in: signatures, duplicates, order,
| and what each event leaves in the database (rows, subscription state, credit balance).
*/
test.group('Stripe webhooks', (group) => {
  isolate(group)
  const stripe = withStandin(group)

  test('refuses a wrong secret, a tampered body and a stale timestamp, storing nothing', async ({
    assert,
  }) => {
    const { company, owner } = await createCompanyWithOwner()
    stripe.standin.paused = true
    await subscribeAndPay(stripe.standin, company, owner)
    const [event] = eventsOf(stripe.standin, 'invoice.paid')

    const wrong = await deliver(stripe.standin, event, { secret: 'whsec_somebody_else' })
    assert.equal(wrong.status, 400)
    assert.equal(wrong.body.errors[0].code, 'E_INVALID_SIGNATURE')
    const tampered = await deliver(stripe.standin, event, {
      tamper: (payload) => payload.replace('"paid"', '"void"'),
    })
    assert.equal(tampered.status, 400)
    const stale = await deliver(stripe.standin, event, {
      timestamp: Math.floor(Date.now() / 1000) - 301,
    })
    assert.equal(stale.status, 400)
    assert.match(stale.body.errors[0].message, /tolerance/i)
    assert.lengthOf(await db.from('billing_events'), 0)
    assert.equal(await balanceOf(company.id), 0)

    const inTime = await deliver(
      stripe.standin,
      eventsOf(stripe.standin, 'checkout.session.completed')[0],
      {
        timestamp: Math.floor(Date.now() / 1000) - 290,
      }
    )
    assert.equal(inTime.status, 200)
  })

  test('a paid subscription checkout activates the plan and grants its credits once', async ({
    assert,
  }) => {
    const { company, owner } = await createCompanyWithOwner()
    await subscribeAndPay(stripe.standin, company, owner, 'pro', 'monthly')
    assert.isTrue(stripe.standin.deliveries.every((d) => d.status === 200))
    const row = await db.from('billing_subscriptions').where('company_id', company.id).first()
    assert.containsSubset(row, { plan: 'pro', interval: 'monthly', status: 'trialing' })
    assert.equal(await balanceOf(company.id), 5000)
    const grant = await db.from('credit_grants').where('company_id', company.id).first()
    const [invoice] = eventsOf(stripe.standin, 'invoice.paid')
    assert.equal(Number(grant.expires_at), invoice.data.object.lines.data[0].period.end * 1000)
    assert.deepEqual(
      (await db.from('billing_events').orderBy('stripe_created')).map((e) => e.status).sort(),
      ['processed', 'processed', 'processed']
    )
  })

  test('a replayed event and a second event for the same invoice change nothing', async ({
    assert,
  }) => {
    const { company, owner } = await createCompanyWithOwner()
    await subscribeAndPay(stripe.standin, company, owner)
    const [paid] = eventsOf(stripe.standin, 'invoice.paid')
    const replay = await deliver(stripe.standin, paid)
    assert.deepEqual(replay, { status: 200, body: { received: true, outcome: 'duplicate' } })
    const copy = { ...paid, id: 'evt_copy_of_the_same_invoice' }
    const second = await deliver(stripe.standin, copy)
    assert.equal(second.body.outcome, 'applied')
    assert.equal(await balanceOf(company.id), 1000)
    const purchases = await db
      .from('credit_entries')
      .where({ company_id: company.id, type: 'purchase' })
    assert.lengthOf(purchases, 1)
    assert.lengthOf(await db.from('billing_events'), 4)
  })

  test('subscription.updated before subscription.created ends in the latest state', async ({
    assert,
  }) => {
    const { company, owner } = await createCompanyWithOwner()
    stripe.standin.paused = true
    const session = await subscribeAndPay(stripe.standin, company, owner)
    await stripe.standin.store.updateSubscription(session.subscription, { cancelAtPeriodEnd: true })
    const [created] = eventsOf(stripe.standin, 'customer.subscription.created')
    const [updated] = eventsOf(stripe.standin, 'customer.subscription.updated')
    assert.isFalse(created.data.object.cancel_at_period_end)

    assert.equal((await deliver(stripe.standin, updated)).status, 200)
    assert.equal((await deliver(stripe.standin, created)).status, 200)
    const row = await db.from('billing_subscriptions').where('company_id', company.id).first()
    assert.isTrue(Boolean(row.cancel_at_period_end))
    assert.equal(row.stripe_subscription_id, session.subscription)
    assert.lengthOf(await db.from('billing_subscriptions'), 1)
  })

  test('two checkouts completed for one company leave one subscription; the second is cancelled', async ({
    assert,
  }) => {
    const { company, owner } = await createCompanyWithOwner()
    const { Checkout } = await import('#billing/services/checkout')
    const app = (await import('@adonisjs/core/services/app')).default
    const checkout = await app.container.make(Checkout)
    const first = (await checkout.subscribe(company, owner, 'starter', 'monthly')).split('/').pop()!
    const second = (await checkout.subscribe(company, owner, 'pro', 'monthly')).split('/').pop()!
    const kept = await stripe.standin.store.completeCheckout(first)
    const doubled = await stripe.standin.store.completeCheckout(second)

    const rows = await db.from('billing_subscriptions').where('company_id', company.id)
    assert.lengthOf(rows, 1)
    assert.equal(rows[0].stripe_subscription_id, kept.subscription)
    assert.equal(stripe.standin.store.get(doubled.subscription, 'subscription')!.status, 'canceled')
    assert.equal(stripe.standin.store.get(kept.subscription, 'subscription')!.status, 'trialing')
  })

  test('a pack grants its credits; a partial refund and a lost dispute take them back', async ({
    assert,
  }) => {
    const { company, owner } = await createCompanyWithOwner()
    const first = await buyAndPay(stripe.standin, company, owner, 'small')
    const second = await buyAndPay(stripe.standin, company, owner, 'large')
    assert.equal(await balanceOf(company.id), 11_000)

    const firstCharge = stripe.standin.store.get(
      first.payment_intent,
      'payment_intent'
    )!.latest_charge
    await stripe.standin.store.refund(firstCharge, 500)
    assert.equal(await balanceOf(company.id), 10_500)
    const secondCharge = stripe.standin.store.get(
      second.payment_intent,
      'payment_intent'
    )!.latest_charge
    await stripe.standin.store.loseDispute(secondCharge)
    assert.equal(await balanceOf(company.id), 500)

    const adjustments = await db
      .from('credit_entries')
      .where({ company_id: company.id, type: 'adjust' })
      .orderBy('id')
    assert.deepEqual(
      adjustments.map((entry) => Number(entry.amount)),
      [-500, -10_000]
    )
    const payments = await db.from('billing_payments').where('company_id', company.id).orderBy('id')
    assert.deepEqual(
      payments.map((p) => [p.kind, Number(p.credits), Number(p.credits_taken_back)]),
      [
        ['pack', 1000, 500],
        ['pack', 10_000, 10_000],
      ]
    )
  })

  test('a renewal grants the month again; refunding it takes that month back', async ({
    assert,
  }) => {
    const { company, owner } = await createCompanyWithOwner()
    const session = await subscribeAndPay(stripe.standin, company, owner, 'starter')
    const renewal = await stripe.standin.store.renew(session.subscription)
    assert.equal(await balanceOf(company.id), 2000)
    const payment = stripe.standin.store.invoicePayments.find((p) => p.invoice === renewal.id)!
    const charge = stripe.standin.store.get(
      payment.payment.payment_intent,
      'payment_intent'
    )!.latest_charge
    await stripe.standin.store.refund(charge)
    assert.equal(await balanceOf(company.id), 1000)
    const row = await db.from('billing_payments').where('reference', renewal.id).first()
    assert.containsSubset(row, { kind: 'invoice', payment_intent: payment.payment.payment_intent })
    assert.equal(Number(row.credits_taken_back), 1000)
  })

  test('a yearly trial grants one month of credits, not a year', async ({ assert }) => {
    const { company, owner } = await createCompanyWithOwner()
    await subscribeAndPay(stripe.standin, company, owner, 'pro', 'yearly')
    assert.equal(await balanceOf(company.id), 5000)
  })

  test('a delayed payment (async_payment_succeeded) grants the pack once', async ({ assert }) => {
    const { company, owner } = await createCompanyWithOwner()
    stripe.standin.paused = true
    await buyAndPay(stripe.standin, company, owner, 'small')
    const [completed] = eventsOf(stripe.standin, 'checkout.session.completed')
    const later = {
      ...completed,
      id: 'evt_async_paid',
      type: 'checkout.session.async_payment_succeeded',
    }
    assert.equal((await deliver(stripe.standin, later)).body.outcome, 'applied')
    assert.equal((await deliver(stripe.standin, completed)).body.outcome, 'applied')
    assert.equal(await balanceOf(company.id), 1000)
  })

  test('a refund that arrives before its purchase is retried until the purchase is known', async ({
    assert,
  }) => {
    const { company, owner } = await createCompanyWithOwner()
    stripe.standin.paused = true
    const session = await buyAndPay(stripe.standin, company, owner, 'small')
    const charge = stripe.standin.store.get(session.payment_intent, 'payment_intent')!.latest_charge
    await stripe.standin.store.refund(charge)
    const [refund] = eventsOf(stripe.standin, 'charge.refunded')
    const early = await deliver(stripe.standin, refund)
    assert.equal(early.status, 500)
    assert.equal((await db.from('billing_events').where('id', refund.id).first()).status, 'failed')

    await deliver(stripe.standin, eventsOf(stripe.standin, 'checkout.session.completed')[0])
    assert.equal(await balanceOf(company.id), 1000)
    const retried = await deliver(stripe.standin, refund)
    assert.deepEqual(retried, { status: 200, body: { received: true, outcome: 'applied' } })
    assert.equal(await balanceOf(company.id), 0)
  })

  test('a refund of credits already spent takes what is left and records the shortfall', async ({
    assert,
  }) => {
    const { company, owner } = await createCompanyWithOwner()
    const session = await buyAndPay(stripe.standin, company, owner, 'small')
    const { CreditsService } = await import('#credits/services/credits_service')
    const app = (await import('@adonisjs/core/services/app')).default
    const credits = await app.container.make(CreditsService)
    await credits.consume(company.id, { amount: 800, actor: { type: 'system' }, reason: 'Spent' })
    const charge = stripe.standin.store.get(session.payment_intent, 'payment_intent')!.latest_charge
    await stripe.standin.store.refund(charge)
    assert.equal(await balanceOf(company.id), 0)
    const entry = await db
      .from('credit_entries')
      .where({ company_id: company.id, type: 'adjust' })
      .first()
    assert.equal(Number(entry.amount), -200)
    assert.containsSubset(JSON.parse(entry.metadata), { wanted: 1000, shortfall: 800 })
  })
})
