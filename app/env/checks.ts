/*
| What `node ace env:check` looks for. Each check reads plain variables, so the rules are unit
| tested without booting the app. `error` fails the command; `warning` is advice.
*/
export type Finding = { level: 'error' | 'warning' | 'ok'; key: string; message: string }
type Vars = Record<string, string | undefined>

const KNOWN_WEAK_KEYS = [
  'test-only-key-not-secret-0123456789abcdef',
  'zKXHe-Ahdb7aPK1ylAJlRgTefktEaACi',
]

export function checkEnvironment(vars: Vars): Finding[] {
  const production = vars.NODE_ENV === 'production' && vars.TANDEM_PROFILE !== 'desktop'
  const replicas = Number(vars.WEB_REPLICAS ?? 1)
  const findings: Finding[] = []
  const add = (level: Finding['level'], key: string, message: string) =>
    findings.push({ level, key, message })

  const key = vars.APP_KEY ?? ''
  if (key.length < 32 || KNOWN_WEAK_KEYS.includes(key) || new Set(key).size < 10) {
    add(
      production ? 'error' : 'warning',
      'APP_KEY',
      'weak or example APP_KEY: generate one with `node ace generate:key`'
    )
  } else add('ok', 'APP_KEY', 'strong')

  if (!production) {
    add(
      'ok',
      'NODE_ENV',
      `${vars.NODE_ENV ?? 'unset'} (${vars.TANDEM_PROFILE ?? 'local'} profile: production rules skipped)`
    )
    return findings
  }

  if (['debug', 'trace'].includes(vars.LOG_LEVEL ?? ''))
    add('error', 'LOG_LEVEL', 'debug logging in production leaks data and slows requests')
  if ((vars.DB_CONNECTION ?? 'sqlite') === 'sqlite')
    add('error', 'DB_CONNECTION', 'SQLite in production: use pg or mysql')
  else add('ok', 'DB_CONNECTION', vars.DB_CONNECTION!)
  if (vars.DB_PASSWORD === undefined || vars.DB_PASSWORD === '')
    add('warning', 'DB_PASSWORD', 'the database user has no password')

  if (!vars.REDIS_HOST && replicas > 1)
    add(
      'error',
      'REDIS_HOST',
      `${replicas} web replicas without Redis: sessions, rate limits and realtime would not be shared`
    )
  else if (!vars.REDIS_HOST)
    add('warning', 'REDIS_HOST', 'no Redis: fine for one process, required for more')
  else add('ok', 'REDIS_HOST', vars.REDIS_HOST)

  const session = vars.SESSION_DRIVER
  if (session === 'memory')
    add(
      'error',
      'SESSION_DRIVER',
      'memory sessions are lost on restart and not shared between replicas'
    )
  else if (session === 'redis' && !vars.REDIS_HOST)
    add('error', 'SESSION_DRIVER', 'redis sessions need REDIS_HOST')
  else add('ok', 'SESSION_DRIVER', session ?? 'unset')

  if ((vars.MAIL_MAILER ?? 'log') === 'log')
    add(
      'error',
      'MAIL_MAILER',
      'mail goes to the log: password resets and invitations never arrive'
    )
  if (!(vars.APP_URL ?? '').startsWith('https://'))
    add('error', 'APP_URL', 'links in mails must use https in production')
  if (vars.HOST === 'localhost' || vars.HOST === '127.0.0.1')
    add('warning', 'HOST', 'bound to loopback: a container or proxy cannot reach it')
  if (moduleEnabled(vars, 'billing')) checkStripe(vars, add)
  if (moduleEnabled(vars, 'files')) checkFiles(vars, replicas, add)
  return findings
}

function moduleEnabled(vars: Vars, name: string) {
  const list = (value: string | undefined) =>
    (value ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean)
  const only = list(vars.TANDEM_MODULES)
  return (
    (only.length === 0 || only.includes(name)) && !list(vars.TANDEM_MODULES_DISABLED).includes(name)
  )
}

/* Files must outlive a container and be the same on every replica. */
function checkFiles(
  vars: Vars,
  replicas: number,
  add: (level: Finding['level'], key: string, message: string) => void
) {
  if ((vars.DRIVE_DISK ?? 'fs') === 's3') {
    if (!vars.S3_BUCKET) add('error', 'S3_BUCKET', 'DRIVE_DISK=s3 without a bucket')
    else add('ok', 'DRIVE_DISK', `s3 (${vars.S3_BUCKET})`)
  } else if (replicas > 1)
    add(
      'error',
      'DRIVE_DISK',
      `${replicas} web replicas on the local disk: use s3 or one shared volume (docs/operations.md, Files)`
    )
  else
    add(
      'warning',
      'DRIVE_DISK',
      'files on the local disk: mount FILES_ROOT on a volume that survives deploys'
    )
}

/* Real payments: the official API with live keys, never the local stand-in. */
function checkStripe(
  vars: Vars,
  add: (level: Finding['level'], key: string, message: string) => void
) {
  if (vars.STRIPE_API_BASE)
    add(
      'error',
      'STRIPE_API_BASE',
      'points Stripe calls away from api.stripe.com (the local stand-in?)'
    )
  if (vars.STRIPE_STANDIN === 'true')
    add('error', 'STRIPE_STANDIN', 'the local Stripe stand-in must not run in production')
  const key = vars.STRIPE_SECRET_KEY ?? ''
  if (!key)
    add('warning', 'STRIPE_SECRET_KEY', 'billing is on without a Stripe key: checkout answers 503')
  else if (key.startsWith('sk_test_') || key.startsWith('rk_test_'))
    add('warning', 'STRIPE_SECRET_KEY', 'a test-mode key: no real payment will be taken')
  else add('ok', 'STRIPE_SECRET_KEY', 'live key')
  if (key && !vars.STRIPE_WEBHOOK_SECRET)
    add(
      'error',
      'STRIPE_WEBHOOK_SECRET',
      'webhooks cannot be verified: run `node ace billing:webhook`'
    )
}
