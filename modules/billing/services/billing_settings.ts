import env from '#start/env'

/*
| Where Stripe is and how to reach it. Local mode (development without a real key) runs the
| stand-in on STRIPE_STANDIN_PORT with known test secrets; production sets real keys and
| nothing else changes. Bound in the container; tests swap in one pointing at their stand-in.
*/
export const STANDIN_SECRET_KEY = 'sk_test_standin'
export const STANDIN_WEBHOOK_SECRET = 'whsec_standin_local_0123456789'

export class BillingSettings {
  standin = env.get(
    'STRIPE_STANDIN',
    env.get('NODE_ENV') === 'development' && !env.get('STRIPE_SECRET_KEY')
  )
  standinPort = env.get('STRIPE_STANDIN_PORT', 12111)
  secretKey = env.get('STRIPE_SECRET_KEY') ?? (this.standin ? STANDIN_SECRET_KEY : '')
  webhookSecret = env.get('STRIPE_WEBHOOK_SECRET') ?? (this.standin ? STANDIN_WEBHOOK_SECRET : '')
  apiBase: string | null =
    env.get('STRIPE_API_BASE') ?? (this.standin ? `http://127.0.0.1:${this.standinPort}` : null)
  /** After a failed renewal the plan keeps working this many days (Stripe retries meanwhile). */
  pastDueGraceDays = env.get('BILLING_PAST_DUE_GRACE_DAYS', 7)
  /** Stripe's default: a signature older than this many seconds is refused. */
  toleranceSeconds = 300
  appUrl = env.get('APP_URL')

  get configured() {
    return Boolean(this.secretKey)
  }

  now() {
    return Date.now()
  }
}
