import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import User from '#accounts/models/user'
import { isolate } from '#tests/helpers/database'
import { createCompanyWithOwner, createMember } from '#accounts/database/factories/user_factory'
import { BillingSettings } from '#billing/services/billing_settings'
import { aceEnv, subscribeAndPay, withStandin } from '#billing/tests/helpers/billing'
import { ace } from '#tests/helpers/app_process'

/* Plan gating, the pages and their redirects to Stripe, and the operator commands. */
test.group('Billing: plans, gating and pages', (group) => {
  isolate(group)
  const stripe = withStandin(group)
  const tokenFor = async (user: User, companyId: number) =>
    (await User.accessTokens.create(user, ['billing:read'], { companyId })).value!.release()

  test('a feature needs an active plan that includes it: 402 E_PLAN_REQUIRED otherwise', async ({
    client,
    assert,
  }) => {
    const { company, owner } = await createCompanyWithOwner()
    const token = await tokenFor(owner, company.id)
    const before = await client.get('/api/v1/billing/entitlements/rooms').bearerToken(token)
    before.assertStatus(402)
    assert.equal(before.body().errors[0].code, 'E_PLAN_REQUIRED')

    await subscribeAndPay(stripe.standin, company, owner, 'starter')
    const rooms = await client.get('/api/v1/billing/entitlements/rooms').bearerToken(token)
    rooms.assertStatus(200)
    assert.deepEqual(rooms.body(), { feature: 'rooms', included: true, plan: 'starter' })
    const exports = await client
      .get('/api/v1/billing/entitlements/telemetry.export')
      .bearerToken(token)
    exports.assertStatus(402)
    assert.match(exports.body().errors[0].message, /does not include telemetry\.export/)
    const overview = await client.get('/api/v1/billing').bearerToken(token)
    assert.containsSubset(overview.body(), {
      plan: 'starter',
      status: 'trialing',
      active: true,
      limits: { members: 5 },
    })
  })

  test('past_due keeps the plan for the grace days after the failed renewal, then it stops', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { company, owner } = await createCompanyWithOwner()
    const session = await subscribeAndPay(stripe.standin, company, owner, 'pro')
    await stripe.standin.store.renew(session.subscription, { fail: true })
    const row = await db.from('billing_subscriptions').where('company_id', company.id).first()
    assert.equal(row.status, 'past_due')
    const token = await tokenFor(owner, company.id)
    ;(await client.get('/api/v1/billing/entitlements/rooms').bearerToken(token)).assertStatus(200)

    const settings = await app.container.make(BillingSettings)
    const realNow = settings.now
    settings.now = () => Number(row.current_period_start) + 7 * 86_400_000 + 1
    cleanup(() => {
      settings.now = realNow
    })
    const after = await client.get('/api/v1/billing').bearerToken(token)
    assert.containsSubset(after.body(), {
      status: 'past_due',
      active: false,
      plan: null,
      entitlements: [],
    })
    ;(await client.get('/api/v1/billing/entitlements/rooms').bearerToken(token)).assertStatus(402)
  })

  test('the billing pages send owners to Stripe and refuse plain members', async ({
    client,
    assert,
  }) => {
    const { company, owner } = await createCompanyWithOwner()
    const base = `/companies/${company.id}/billing`
    const plans = await client.get(`${base}/plans`).loginAs(owner).withInertia()
    plans.assertStatus(200)
    assert.deepEqual(
      plans.body().props.plans.map((p: any) => p.id),
      ['starter', 'pro']
    )
    const checkout = await client
      .post(`${base}/checkout`)
      .loginAs(owner)
      .withCsrfToken()
      .withInertia()
      .form({ plan: 'pro', interval: 'yearly' })
    checkout.assertStatus(409)
    const location = checkout.header('x-inertia-location') ?? ''
    assert.match(location, new RegExp(`^${stripe.standin.url}/checkout/cs_test_`))
    const session = stripe.standin.store.get(location.split('/').pop()!, 'checkout.session')!
    assert.containsSubset(session, {
      mode: 'subscription',
      client_reference_id: String(company.id),
      metadata: { plan: 'pro', interval: 'yearly', company_id: String(company.id) },
      _price: 'price_pro_yearly',
      _trialDays: 14,
    })

    const archived = await client
      .post(`${base}/checkout`)
      .loginAs(owner)
      .withCsrfToken()
      .withInertia()
      .redirects(0)
      .form({ plan: 'legacy', interval: 'monthly' })
    archived.assertStatus(302)
    assert.lengthOf(
      stripe.standin.store.list('checkout.session', (s) => s._price === 'price_legacy_monthly'),
      0
    )
    const { user: member } = await createMember(company, 'member')
    const refused = await client.get(base).loginAs(member).withInertia()
    refused.assertStatus(403)
  })

  test('a company that already subscribed gets no second checkout and no second trial', async ({
    client,
    assert,
  }) => {
    const { company, owner } = await createCompanyWithOwner()
    const session = await subscribeAndPay(stripe.standin, company, owner, 'starter')
    const again = await client
      .post(`/companies/${company.id}/billing/checkout`)
      .loginAs(owner)
      .withCsrfToken()
      .header('accept', 'application/json')
      .form({ plan: 'pro', interval: 'monthly' })
    again.assertStatus(409)
    assert.equal(again.body().errors[0].code, 'E_ALREADY_SUBSCRIBED')
    await stripe.standin.store.cancelNow(session.subscription)
    const page = await client
      .get(`/companies/${company.id}/billing/plans`)
      .loginAs(owner)
      .withInertia()
    assert.deepEqual(
      page.body().props.plans.map((p: any) => p.trialDays),
      [0, 0]
    )
    const portal = await client
      .post(`/companies/${company.id}/billing/portal`)
      .loginAs(owner)
      .withCsrfToken()
      .withInertia()
    portal.assertStatus(409)
    assert.match(
      portal.header('x-inertia-location') ?? '',
      new RegExp(`^${stripe.standin.url}/portal/bps_`)
    )
  })

  test('billing:plans checks every configured price against Stripe', async ({ assert }) => {
    const env = aceEnv(stripe.standin)
    const rows = JSON.parse(
      (await ace(['billing:plans', '--json'], env)).trim().split('\n').at(-1)!
    )
    assert.lengthOf(rows, 8)
    assert.isTrue(rows.every((row: any) => row.problem === null))
    stripe.standin.store.get('price_pro_monthly')!.unit_amount = 5900
    const failed = await ace(['billing:plans', '--json'], env).catch((error) => error.message)
    assert.match(failed, /failed \(1\)/)
    assert.match(failed, /Stripe charges 5900, config says 4900/)
    stripe.standin.store.get('price_pro_monthly')!.unit_amount = 4900
  }).timeout(60_000)

  test('billing:webhook creates the endpoint in Stripe for the handled events', async ({
    assert,
  }) => {
    const env = aceEnv(stripe.standin, { APP_URL: 'https://tandem.example.test' })
    const output = await ace(['billing:webhook'], env)
    const again = await ace(['billing:webhook'], env)
    assert.include(again, 'nothing created')
    assert.lengthOf(
      stripe.standin.endpoints.filter(
        (e) => e.url === 'https://tandem.example.test/webhooks/stripe'
      ),
      1
    )
    const endpoint = stripe.standin.endpoints.find(
      (e) => e.url === 'https://tandem.example.test/webhooks/stripe'
    )!
    assert.exists(endpoint)
    assert.include(endpoint.enabledEvents, 'invoice.paid')
    assert.include(output, `STRIPE_WEBHOOK_SECRET=${endpoint.secret}`)
  }).timeout(60_000)
})
