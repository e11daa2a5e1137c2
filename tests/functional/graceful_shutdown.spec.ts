import { test } from '@japa/runner'
import http from 'node:http'
import { rm } from 'node:fs/promises'
import app from '@adonisjs/core/services/app'
import { ace, baseEnv, startServer } from '#tests/helpers/app_process'

/*
| A deploy sends SIGTERM to a web process that is busy with keep-alive clients. It must finish
| the requests in flight, tell those clients to reconnect elsewhere, and exit promptly.
*/
test.group('Graceful shutdown', () => {
  test('a busy server drains keep-alive connections and exits within seconds of SIGTERM', async ({
    assert,
    cleanup,
  }) => {
    const database = app.makePath('tmp', `shutdown-${process.pid}.sqlite3`)
    const env = baseEnv({
      DB_CONNECTION: 'sqlite',
      SQLITE_PATH: database,
      APP_URL: 'http://127.0.0.1',
      PORT: '0',
    })
    cleanup(() =>
      Promise.all(['', '-wal', '-shm'].map((s) => rm(database + s, { force: true }))).then(() => {})
    )
    await ace(['migration:run', '--force'], env)
    const server = await startServer(env)
    const { port } = new URL(server.url)

    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 })
    const statuses: number[] = []
    let stopped = false
    const loop = async () => {
      while (!stopped) {
        const status = await new Promise<number>((resolve) => {
          http
            .get({ host: '127.0.0.1', port, path: '/api/v1/openapi.json', agent }, (response) => {
              response.resume()
              response.on('end', () => resolve(response.statusCode!))
            })
            .on('error', () => resolve(0))
        })
        if (status === 0) return
        statuses.push(status)
      }
    }
    const clients = Array.from({ length: 8 }, loop)
    await new Promise((resolve) => setTimeout(resolve, 1000))

    const started = Date.now()
    await server.stop()
    const elapsed = Date.now() - started
    stopped = true
    await Promise.all(clients)
    agent.destroy()

    assert.isBelow(elapsed, 5000, `exit took ${elapsed} ms`)
    assert.isAbove(statuses.length, 50)
    assert.deepEqual([...new Set(statuses)], [200])
  }).timeout(60_000)
})
