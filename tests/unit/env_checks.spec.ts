import { test } from '@japa/runner'
import { checkEnvironment } from '#app/env/checks'
import { renderProfile, desktopDataDir } from '#app/env/profiles'

/* KEY=value lines of a rendered profile (comments and blanks skipped). */
const parse = (text: string) =>
  Object.fromEntries(
    text
      .split('\n')
      .filter((line) => /^[A-Z0-9_]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)])
  )

const errors = (vars: Record<string, string>) =>
  checkEnvironment(vars)
    .filter((finding) => finding.level === 'error')
    .map((finding) => finding.key)

test.group('Environment profiles and checks', () => {
  test('a generated production profile passes the checks', async ({ assert }) => {
    const vars = parse(renderProfile('production'))
    assert.equal(vars.NODE_ENV, 'production')
    assert.deepEqual(errors(vars), [])
    assert.match(vars.APP_KEY, /^[\w-]{43}$/)
  })

  test('two profiles never share an APP_KEY', async ({ assert }) => {
    const key = (text: string) => text.match(/^APP_KEY=(.*)$/m)![1]
    assert.notEqual(key(renderProfile('local')), key(renderProfile('local')))
  })

  test('flags what is unsafe in production', ({ assert }) => {
    const found = errors({
      NODE_ENV: 'production',
      APP_KEY: 'short',
      LOG_LEVEL: 'debug',
      DB_CONNECTION: 'sqlite',
      WEB_REPLICAS: '3',
      SESSION_DRIVER: 'memory',
      MAIL_MAILER: 'log',
      APP_URL: 'http://example.com',
    })
    assert.sameMembers(found, [
      'APP_KEY',
      'LOG_LEVEL',
      'DB_CONNECTION',
      'REDIS_HOST',
      'SESSION_DRIVER',
      'MAIL_MAILER',
      'APP_URL',
      'DRIVE_DISK',
    ])
  })

  test('keeps production payments on Stripe itself, with a webhook secret', ({ assert }) => {
    const base = {
      NODE_ENV: 'production',
      APP_KEY: 'k7Gh2-pQ9xLm4RtY8wZ1aB3cD5eF6gH0jKqWe',
      DB_CONNECTION: 'pg',
      MAIL_MAILER: 'smtp',
      SESSION_DRIVER: 'cookie',
      APP_URL: 'https://tandem.example.com',
    }
    assert.sameMembers(
      errors({
        ...base,
        STRIPE_SECRET_KEY: 'sk_live_x',
        STRIPE_API_BASE: 'http://127.0.0.1:12111',
        STRIPE_STANDIN: 'true',
      }),
      ['STRIPE_API_BASE', 'STRIPE_STANDIN', 'STRIPE_WEBHOOK_SECRET']
    )
    assert.deepEqual(
      errors({ ...base, STRIPE_SECRET_KEY: 'sk_live_x', STRIPE_WEBHOOK_SECRET: 'whsec_x' }),
      []
    )
    assert.deepEqual(
      errors({ ...base, STRIPE_API_BASE: 'http://x', TANDEM_MODULES_DISABLED: 'billing' }),
      []
    )
  })

  test('keeps production files on S3 or one volume', ({ assert }) => {
    const base = {
      NODE_ENV: 'production',
      APP_KEY: 'k7Gh2-pQ9xLm4RtY8wZ1aB3cD5eF6gH0jKqWe',
      DB_CONNECTION: 'pg',
      MAIL_MAILER: 'smtp',
      SESSION_DRIVER: 'cookie',
      APP_URL: 'https://tandem.example.com',
      REDIS_HOST: 'redis',
      TANDEM_MODULES_DISABLED: 'billing',
    }
    assert.include(errors({ ...base, WEB_REPLICAS: '2' }), 'DRIVE_DISK')
    assert.include(errors({ ...base, DRIVE_DISK: 's3' }), 'S3_BUCKET')
    assert.deepEqual(
      errors({ ...base, WEB_REPLICAS: '2', DRIVE_DISK: 's3', S3_BUCKET: 'files' }),
      []
    )
  })

  test('does not apply production rules to local and desktop profiles', ({ assert }) => {
    assert.deepEqual(
      errors({ NODE_ENV: 'development', APP_KEY: 'x'.repeat(40), DB_CONNECTION: 'sqlite' }),
      []
    )
    assert.deepEqual(
      errors({
        NODE_ENV: 'production',
        TANDEM_PROFILE: 'desktop',
        APP_KEY: 'k7Gh2-pQ9xLm4RtY8wZ1aB3cD5eF6gH0jK',
        DB_CONNECTION: 'sqlite',
      }),
      []
    )
  })

  test('keeps desktop data in the platform’s user data folder', ({ assert }) => {
    assert.equal(
      desktopDataDir('darwin', '/Users/ada'),
      '/Users/ada/Library/Application Support/Tandem'
    )
    assert.match(desktopDataDir('linux', '/home/ada'), /tandem$/)
  })
})
