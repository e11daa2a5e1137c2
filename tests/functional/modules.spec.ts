import { test } from '@japa/runner'
import { rm } from 'node:fs/promises'
import app from '@adonisjs/core/services/app'
import { ace, baseEnv, startServer } from '#tests/helpers/app_process'
import { browserLogin } from '#tests/helpers/http'

/*
| Module switches, checked on real processes: a disabled module contributes no routes, no
| navigation and no commands.
*/
const database = () => app.makePath('tmp', `modules-${process.pid}.sqlite3`)
const env = (extra: Record<string, string> = {}) =>
  baseEnv({
    DB_CONNECTION: 'sqlite',
    SQLITE_PATH: database(),
    APP_URL: 'http://127.0.0.1',
    PORT: '0',
    ...extra,
  })

test.group('Module switches', (group) => {
  group.setup(async () => {
    await ace(['migration:run', '--force'], env())
    await ace(['users:create', 'root@example.test', '--password=root passphrase', '--admin'], env())
    return async () => {
      await Promise.all(
        ['', '-wal', '-shm'].map((suffix) => rm(database() + suffix, { force: true }))
      )
    }
  })

  test('modules:list reflects TANDEM_MODULES_DISABLED', async ({ assert }) => {
    const listed = JSON.parse(
      await ace(['modules:list', '--json'], env({ TANDEM_MODULES_DISABLED: 'admin' }))
    )
    assert.deepEqual(
      listed.map((m: any) => `${m.name}:${m.enabled}`),
      [
        'accounts:true',
        'admin:false',
        'tasks:true',
        'ops:true',
        'credits:true',
        'telemetry:true',
        'rooms:true',
        'billing:true',
        'files:true',
      ]
    )
  })

  test('a disabled module registers no routes and no commands', async ({ assert }) => {
    const on = JSON.parse(await ace(['list:routes', '--json'], env()))
    const off = JSON.parse(
      await ace(['list:routes', '--json'], env({ TANDEM_MODULES_DISABLED: 'admin' }))
    )
    const names = (list: any) => JSON.stringify(list).match(/"name":"admin\.[^"]+"/g) ?? []
    assert.isAbove(names(on).length, 3)
    assert.lengthOf(names(off), 0)

    assert.include(await ace(['list'], env()), 'users:promote')
    assert.notInclude(
      await ace(['list'], env({ TANDEM_MODULES_DISABLED: 'admin' })),
      'users:promote'
    )
  }).timeout(60_000)

  test('a running app without the admin module has no admin pages or navigation', async ({
    assert,
    cleanup,
  }) => {
    const server = await startServer(env({ TANDEM_MODULES_DISABLED: 'admin' }))
    cleanup(() => server.stop())
    const cookie = await browserLogin(server.url, 'root@example.test', 'root passphrase')
    const probe = await fetch(`${server.url}/login`, { headers: { 'x-inertia': 'true' } }).then(
      (r) => r.json() as any
    )
    const inertia = {
      'cookie': cookie,
      'x-inertia': 'true',
      'x-inertia-version': String(probe.version),
    }

    const admin = await fetch(`${server.url}/admin/users`, {
      headers: { cookie, accept: 'application/json' },
    })
    assert.equal(admin.status, 404)
    assert.equal(((await admin.json()) as any).errors[0].code, 'E_ROUTE_NOT_FOUND')

    const dashboard = await fetch(`${server.url}/dashboard`, { headers: inertia }).then(
      (r) => r.json() as any
    )
    assert.equal(dashboard.props.user.email, 'root@example.test')
    assert.isTrue(dashboard.props.user.isAdmin)
    assert.notInclude(
      dashboard.props.navigation.map((item: any) => item.section),
      'admin'
    )
  }).timeout(60_000)

  test('make:module scaffolds a module whose example test passes', async ({ assert }) => {
    const { scaffoldInCopy } = await import('#tests/helpers/project_copy')
    const output = await scaffoldInCopy('inventory')
    assert.match(output, /2 passed/)
  }).timeout(180_000)
})
