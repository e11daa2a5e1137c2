import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { LiveFeed } from '#telemetry/services/live_feed'
import { isolate } from '#tests/helpers/database'
import { browserLogin } from '#tests/helpers/http'
import { connected, nextEvent, silence, socketsFor, testServerUrl } from '#tests/helpers/realtime'
import {
  createCompanyWithOwner,
  PASSWORD,
  UserFactory,
} from '#accounts/database/factories/user_factory'
import { UsersService } from '#accounts/services/users_service'
import { batch, event, ingestCompany, testSettings } from '#telemetry/tests/helpers/telemetry'

/* The admin live feed: pushed to admins only, throttled, and gone when admin rights are. */
test.group('Telemetry live feed', (group) => {
  isolate(group)
  const open = socketsFor(group)

  test('pushes committed events to admins, one throttled message for a burst', async ({
    client,
    assert,
    cleanup,
  }) => {
    cleanup(testSettings({ feedIntervalMs: 300 }))
    /* Events of earlier tests may still wait in this process's feed: send them first. */
    const feed = await app.container.make(LiveFeed)
    feed.flush()
    const admin = await UserFactory.apply('admin').create()
    const { owner } = await createCompanyWithOwner()
    const adminSocket = open({ cookie: await browserLogin(testServerUrl(), admin.email, PASSWORD) })
    await connected(adminSocket)
    const ownerSocket = open({ cookie: await browserLogin(testServerUrl(), owner.email, PASSWORD) })
    await connected(ownerSocket)
    const { token } = await ingestCompany()

    const pushed = nextEvent(adminSocket, 'telemetry.events', 3000)
    const quiet = silence(ownerSocket, 'telemetry.events', 1200)
    const events = Array.from({ length: 60 }, (_, i) => event({ name: `burst.${i}` }))
    for (const part of [events.slice(0, 30), events.slice(30)]) {
      const response = await client
        .post('/api/v1/telemetry/batch')
        .bearerToken(token)
        .json(batch(part))
      response.assertStatus(202)
    }
    const message = await pushed
    const second = await nextEvent(adminSocket, 'telemetry.events', 1500).catch(() => null)
    const total = message.total + (second?.total ?? 0)
    assert.equal(total, 60, 'every event is counted')
    assert.isAtMost(message.events.length, 50)
    assert.equal((second ?? message).events.at(-1).name, 'burst.59', 'newest last')
    assert.isTrue(await quiet, 'members who are not platform admins get nothing')
  })

  test('an admin whose rights are revoked stops receiving the feed', async ({
    client,
    assert,
    cleanup,
  }) => {
    cleanup(testSettings({ feedIntervalMs: 50 }))
    const admin = await UserFactory.apply('admin').create()
    const socket = open({ cookie: await browserLogin(testServerUrl(), admin.email, PASSWORD) })
    await connected(socket)
    await new UsersService().setAdmin(admin, false)
    await new Promise((resolve) => setTimeout(resolve, 100))
    const { token } = await ingestCompany()
    const quiet = silence(socket, 'telemetry.events', 600)
    const response = await client
      .post('/api/v1/telemetry/batch')
      .bearerToken(token)
      .json(batch([event()]))
    response.assertStatus(202)
    assert.isTrue(await quiet)
  })
})
