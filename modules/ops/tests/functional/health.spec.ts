import { createServer, connect, type Server, type Socket } from 'node:net'
import { once } from 'node:events'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { QueueService } from '#app/queue/queue'
import { Metrics } from '#ops/services/metrics'
import { Readiness } from '#ops/services/readiness'
import { startInternalListener } from '#ops/services/internal_listener'
import { isolate } from '#tests/helpers/database'
import { baseEnv, freePort, startServer } from '#tests/helpers/app_process'
import { UserFactory } from '#accounts/database/factories/user_factory'
import RecordJob from '#tests/fixtures/jobs/record'
import { makeQueue, waitFor } from '#tests/helpers/queue'

/* Probes, metrics and the System page, as an orchestrator, Prometheus and an admin see them. */
test.group('Health and metrics', (group) => {
  isolate(group)
  group.each.teardown(() => {
    delete process.env.METRICS_TOKEN
  })

  test('/health/live answers without a session or any dependency', async ({ client, assert }) => {
    const response = await client.get('/health/live')
    response.assertStatus(200)
    assert.equal(response.body().status, 'ok')
    assert.isAtLeast(response.body().uptimeSeconds, 0)
    assert.equal(response.header('cache-control'), 'no-store')
    assert.isUndefined(response.header('set-cookie'))
  })

  test('/health/live is answered before the framework: no request id, log line or metric', async ({
    client,
    assert,
  }) => {
    const response = await client.get('/health/live?probe=docker')
    response.assertStatus(200)
    assert.equal(response.body().status, 'ok')
    /* Every request the framework handles gets an x-request-id; probes never reach it. */
    assert.isUndefined(response.header('x-request-id'))

    const head = await fetch(`http://${process.env.HOST}:${process.env.PORT}/health/live`, {
      method: 'HEAD',
    })
    assert.equal(head.status, 200)
    assert.equal(await head.text(), '')

    const metrics = await app.container.make(Metrics)
    const text = await metrics.registry.metrics()
    assert.notMatch(text, /route="\/health\/live"/)
  })

  test('/health/ready reports each check with its status and timing', async ({
    client,
    assert,
  }) => {
    const response = await client.get('/health/ready')
    response.assertStatus(200)
    const { status, checks } = response.body()
    assert.oneOf(status, ['ok', 'warning'])
    assert.includeMembers(Object.keys(checks), ['database', 'migrations', 'disk', 'queue'])
    assert.equal(checks.database.status, 'ok')
    assert.equal(checks.migrations.status, 'ok')
    assert.isNumber(checks.database.durationMs)
    if (process.env.REDIS_HOST) assert.equal(checks.redis.status, 'ok')
    assert.isUndefined(response.header('set-cookie'))
  })

  test('/metrics needs the token, then speaks Prometheus', async ({ client, assert }) => {
    const disabled = await client.get('/metrics')
    disabled.assertStatus(404)

    process.env.METRICS_TOKEN = 'scrape-secret'
    const anonymous = await client.get('/metrics')
    anonymous.assertStatus(401)
    assert.equal(anonymous.body().errors[0].code, 'E_UNAUTHORIZED_ACCESS')
    ;(await client.get('/metrics').bearerToken('wrong')).assertStatus(401)

    await client.get('/health/ready')
    const response = await client.get('/metrics').bearerToken('scrape-secret')
    response.assertStatus(200)
    assert.match(response.header('content-type')!, /text\/plain/)
    const text = response.text()
    assert.match(
      text,
      /http_request_duration_seconds_count\{method="GET",route="\/health\/ready",status="200"\} \d+/
    )
    assert.match(text, /tandem_realtime_connections \d+/)
    assert.match(text, /tandem_queue_jobs\{queue="default",state="waiting"\} \d+/)
    assert.match(text, /nodejs_eventloop_lag_seconds \d/)
    assert.match(text, /process_resident_memory_bytes \d+/)
  })

  test('METRICS_PORT: the internal listener serves metrics and both probes without a token', async ({
    assert,
  }) => {
    const port = await freePort()
    const server = await startInternalListener(
      await app.container.make(Metrics),
      await app.container.make(Readiness),
      { host: '127.0.0.1', port }
    )
    try {
      const base = `http://127.0.0.1:${port}`
      const metrics = await fetch(`${base}/metrics`)
      assert.equal(metrics.status, 200)
      assert.match(await metrics.text(), /process_resident_memory_bytes \d+/)

      const live = await fetch(`${base}/health/live`)
      assert.equal(live.status, 200)
      const body = (await live.json()) as any
      assert.equal(body.status, 'ok')
      assert.isNumber(body.uptimeSeconds)

      const ready = await fetch(`${base}/health/ready`)
      assert.equal(ready.status, 200)
      assert.equal(((await ready.json()) as any).checks.database.status, 'ok')

      assert.equal((await fetch(`${base}/admin/system`)).status, 404)
    } finally {
      server.close()
    }
  })

  test('error responses carry the request id that the response header names', async ({
    client,
    assert,
  }) => {
    const response = await client.get('/api/v1/me')
    response.assertStatus(401)
    const requestId = response.header('x-request-id')
    assert.isString(requestId)
    assert.equal(response.body().requestId, requestId)
  })

  test('the System page shows checks, queues with failed jobs, schedules and workers', async ({
    client,
    assert,
  }) => {
    const admin = await UserFactory.apply('admin').create()
    const harness = await makeQueue('database')
    try {
      const { id } = await harness.queue.dispatch(
        RecordJob,
        { file: '/dev/null', label: 'x', failTimes: 5 },
        { attempts: 1 }
      )
      await harness.work(1)
      await waitFor(async () => (await harness.queue.driver.counts('default')).failed === 1, 'fail')

      app.container.swap(QueueService, () => harness.queue)
      const page = await client.get('/admin/system').loginAs(admin).withInertia()
      page.assertStatus(200)
      page.assertInertiaComponent('ops/system/show')
      const props = page.inertiaProps as any
      assert.equal(props.health.checks.database.status, 'ok')
      assert.includeMembers(
        props.schedules.map((s: any) => s.name),
        ['tasks/prune_tasks', 'app/prune_queue_records']
      )
      assert.isTrue(props.workers.some((w: any) => w.kind === 'worker'))
      const queue = props.queues.find((q: any) => q.name === 'default')
      assert.equal(queue.counts.failed, 1)
      assert.equal(queue.failedJobs[0].id, id)
      assert.match(queue.failedJobs[0].error, /planned failure 1/)
      assert.lengthOf(queue.series.completed, 60)
      assert.equal(queue.throughput.failed, 1)

      const removed = await client
        .delete(`/admin/system/queues/default/jobs/${id}`)
        .loginAs(admin)
        .withCsrfToken()
        .redirects(0)
      removed.assertStatus(302)
      assert.equal((await harness.queue.driver.counts('default')).failed, 0)
      const notAdmin = await UserFactory.create()
      ;(await client.get('/admin/system').loginAs(notAdmin)).assertStatus(403)
    } finally {
      app.container.restore(QueueService)
      await harness.close()
    }
  })
})

/*
| A real outage: a server process reaches its database through a TCP relay that the test
| cuts and restores. SQLite is a file inside the process and cannot become unreachable.
*/
test.group('Readiness during a database outage', () => {
  const serverDb = ['pg', 'mysql'].includes(process.env.DB_CONNECTION ?? '')

  test('/health/ready goes 503 while the database is unreachable and 200 when it is back', async ({
    assert,
    cleanup,
  }) => {
    const target = Number(process.env.DB_PORT ?? (process.env.DB_CONNECTION === 'pg' ? 5432 : 3306))
    const relay = await tcpRelay(target)
    cleanup(() => relay.close())
    const server = await startServer(
      baseEnv({
        DB_CONNECTION: process.env.DB_CONNECTION!,
        DB_HOST: '127.0.0.1',
        DB_PORT: String(relay.port),
        DB_USER: process.env.DB_USER!,
        DB_PASSWORD: process.env.DB_PASSWORD ?? '',
        DB_DATABASE: process.env.DB_DATABASE!,
        HEALTH_CHECK_TIMEOUT_MS: '1000',
        HEALTH_CACHE_MS: '0',
        QUEUE_DRIVER: 'database',
        QUEUE_IN_PROCESS: 'false',
      })
    )
    cleanup(() => server.stop())
    const ready = () =>
      fetch(`${server.url}/health/ready`).then(async (r) => [r.status, await r.json()] as const)

    const [okStatus] = await ready()
    assert.equal(okStatus, 200)

    relay.cut()
    const [downStatus, down] = await ready()
    assert.equal(downStatus, 503)
    assert.equal((down as any).checks.database.status, 'error')
    assert.equal((await fetch(`${server.url}/health/live`)).status, 200)

    relay.restore()
    const back = await waitFor(
      async () => {
        const [status] = await ready()
        return status === 200 ? status : null
      },
      'readiness to come back',
      20_000
    )
    assert.equal(back, 200)
  })
    .skip(
      !serverDb,
      'Needs PostgreSQL or MySQL (DB_CONNECTION=pg|mysql): SQLite cannot be unreachable'
    )
    .timeout(60_000)
})

async function tcpRelay(targetPort: number) {
  const port = await freePort()
  const sockets = new Set<Socket>()
  let up = true
  let server: Server = listen()
  function listen() {
    const relay = createServer((client) => {
      if (!up) return client.destroy()
      const upstream = connect(targetPort, '127.0.0.1')
      for (const socket of [client, upstream]) {
        sockets.add(socket)
        socket.on('close', () => sockets.delete(socket))
        socket.on('error', () => {})
      }
      client.pipe(upstream).pipe(client)
    })
    relay.listen(port, '127.0.0.1')
    return relay
  }
  await once(server, 'listening')
  return {
    port,
    cut() {
      up = false
      server.close()
      for (const socket of sockets) socket.destroy()
    },
    restore() {
      up = true
      server = listen()
    },
    close() {
      up = false
      server.close()
      for (const socket of sockets) socket.destroy()
    },
  }
}
