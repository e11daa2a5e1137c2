import { test } from '@japa/runner'
import { rm } from 'node:fs/promises'
import app from '@adonisjs/core/services/app'
import { ace, baseEnv, startServer } from '#tests/helpers/app_process'
import { connect, connected, nextEvent } from '#tests/helpers/realtime'

/*
| Two web processes sharing Redis act as one realtime server: a push made by one reaches a
| client connected to the other (the @socket.io/redis-adapter at work).
*/
const redisHost = process.env.REDIS_HOST

test.group('Realtime across processes', () => {
  test('a push from one app process reaches a client connected to another', async ({
    assert,
    cleanup,
  }) => {
    const database = app.makePath('tmp', `cluster-${process.pid}.sqlite3`)
    const env = baseEnv({
      DB_CONNECTION: 'sqlite',
      SQLITE_PATH: database,
      REDIS_HOST: redisHost!,
      REDIS_PORT: process.env.REDIS_PORT ?? '6379',
      REDIS_DB: process.env.REDIS_DB ?? '0',
      REDIS_KEY_PREFIX: `cluster-test-${process.pid}:`,
      APP_URL: 'http://127.0.0.1',
      PORT: '0',
    })
    cleanup(() =>
      rm(database, { force: true })
        .then(() => rm(`${database}-wal`, { force: true }))
        .then(() => rm(`${database}-shm`, { force: true }))
    )

    await ace(['migration:run', '--force'], env)
    await ace(
      ['users:create', 'cluster@example.test', '--password=cluster passphrase', '--json'],
      env
    )

    const [first, second] = await Promise.all([startServer(env), startServer(env)])
    cleanup(async () => {
      await Promise.all([first.stop(), second.stop()])
    })

    const login = (device: string) =>
      fetch(`${first.url}/api/v1/auth/tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          email: 'cluster@example.test',
          password: 'cluster passphrase',
          deviceName: device,
        }),
      }).then((response) => response.json() as Promise<{ token: string }>)

    const { token } = await login('desktop on process two')
    const socket = connect(second.url, { token })
    cleanup(() => {
      socket.disconnect()
    })
    await connected(socket)

    const announced = nextEvent(socket, 'accounts.token_created', 5000)
    await login('desktop on process one')
    assert.containsSubset(await announced, { name: 'desktop on process one', via: 'login' })
  })
    .skip(!redisHost, 'needs Redis: set REDIS_HOST (CI does) to run two app processes against it')
    .timeout(90_000)
})
