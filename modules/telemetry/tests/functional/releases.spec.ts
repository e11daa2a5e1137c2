import { test } from '@japa/runner'
import { randomUUID } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import { isolate } from '#tests/helpers/database'
import { fieldErrors } from '#tests/helpers/http'
import { UserFactory } from '#accounts/database/factories/user_factory'
import { rolloutBucket } from '#telemetry/services/releases'
import { batch, errorEvent, event, ingestCompany } from '#telemetry/tests/helpers/telemetry'

const SHA = 'a'.repeat(64)

async function release(version: string, extra: Record<string, unknown> = {}) {
  const now = Date.now()
  await db.table('telemetry_releases').insert({
    version,
    channel: 'stable',
    platform: 'windows',
    download_url: `https://downloads.example.com/tandem-${version}.exe`,
    sha256: SHA,
    rollout_percentage: 100,
    published_at: now,
    updated_at: now,
    ...extra,
  })
}

/* An installation id inside (or outside) the rollout of a version at `percent`. */
function installationIn(version: string, percent: number, inside: boolean) {
  for (;;) {
    const id = randomUUID()
    if (rolloutBucket(id, version) < percent === inside) return id
  }
}

test.group('Telemetry releases', (group) => {
  isolate(group)

  test('offers the newest release, 204 when up to date', async ({ client, assert }) => {
    await release('1.4.2')
    await release('1.10.0')
    await release('2.0.0', { channel: 'beta' })
    const latest = await client
      .get('/api/v1/releases/latest')
      .qs({ platform: 'windows', current: '1.4.2' })
    latest.assertStatus(200)
    assert.include(latest.body(), {
      version: '1.10.0',
      channel: 'stable',
      downloadUrl: 'https://downloads.example.com/tandem-1.10.0.exe',
      sha256: SHA,
    })
    const upToDate = await client
      .get('/api/v1/releases/latest')
      .qs({ platform: 'windows', current: '1.10.0' })
    upToDate.assertStatus(204)
    const beta = await client
      .get('/api/v1/releases/latest')
      .qs({ platform: 'windows', channel: 'beta', current: '1.10.0' })
    assert.equal(beta.body().version, '2.0.0')
    const mac = await client.get('/api/v1/releases/latest').qs({ platform: 'macos' })
    mac.assertStatus(204)
    const bad = await client.get('/api/v1/releases/latest').qs({ platform: 'win dows' })
    bad.assertStatus(422)
  })

  test('a partial rollout reaches a stable share of installations; others get the previous release', async ({
    client,
    assert,
  }) => {
    await release('1.5.0')
    await release('1.6.0', { rollout_percentage: 20 })
    const inside = installationIn('1.6.0', 20, true)
    const outside = installationIn('1.6.0', 20, false)
    for (let i = 0; i < 2; i++) {
      const a = await client
        .get('/api/v1/releases/latest')
        .qs({ platform: 'windows', current: '1.4.0', installationId: inside })
      assert.equal(a.body().version, '1.6.0')
      const b = await client
        .get('/api/v1/releases/latest')
        .qs({ platform: 'windows', current: '1.4.0', installationId: outside })
      assert.equal(b.body().version, '1.5.0')
    }
    const current = await client
      .get('/api/v1/releases/latest')
      .qs({ platform: 'windows', current: '1.5.0', installationId: outside })
    current.assertStatus(204)
  })

  test('admins publish, halt and resume a rollout (audit-logged)', async ({ client, assert }) => {
    const admin = await UserFactory.apply('admin').create()
    const invalid = await client
      .post('/admin/telemetry/releases')
      .withCsrfToken()
      .loginAs(admin)
      .form({
        version: '1.7.0',
        channel: 'stable',
        platform: 'windows',
        downloadUrl: 'nope',
        sha256: 'xyz',
        rolloutPercentage: 150,
      })
      .redirects(0)
    assert.includeMembers(Object.keys(fieldErrors(invalid)), [
      'downloadUrl',
      'sha256',
      'rolloutPercentage',
    ])
    assert.lengthOf(await db.from('telemetry_releases'), 0)

    await client.post('/admin/telemetry/releases').withCsrfToken().loginAs(admin).form({
      version: '1.7.0',
      channel: 'stable',
      platform: 'windows',
      downloadUrl: 'https://dl.example.com/1.7.0.exe',
      sha256: SHA.toUpperCase(),
      rolloutPercentage: 100,
    })
    const row = await db.from('telemetry_releases').first()
    assert.equal(row.sha256, SHA)
    const offered = await client
      .get('/api/v1/releases/latest')
      .qs({ platform: 'windows', current: '1.0.0' })
    assert.equal(offered.body().version, '1.7.0')

    const again = await client
      .post('/admin/telemetry/releases')
      .withCsrfToken()
      .loginAs(admin)
      .form({
        version: '1.7.0',
        channel: 'stable',
        platform: 'windows',
        downloadUrl: 'https://dl.example.com/1.7.0.exe',
        sha256: SHA,
        rolloutPercentage: 100,
      })
      .redirects(0)
    assert.property(fieldErrors(again), 'version')

    await client.post(`/admin/telemetry/releases/${row.id}/halt`).withCsrfToken().loginAs(admin)
    const halted = await client
      .get('/api/v1/releases/latest')
      .qs({ platform: 'windows', current: '1.0.0' })
    halted.assertStatus(204)
    await client.delete(`/admin/telemetry/releases/${row.id}/halt`).withCsrfToken().loginAs(admin)
    const resumed = await client
      .get('/api/v1/releases/latest')
      .qs({ platform: 'windows', current: '1.0.0' })
    assert.equal(resumed.body().version, '1.7.0')

    await client
      .put(`/admin/telemetry/releases/${row.id}`)
      .withCsrfToken()
      .loginAs(admin)
      .form({ rolloutPercentage: 30 })
    const updated = await db.from('telemetry_releases').where('id', row.id).first()
    assert.equal(Number(updated.rollout_percentage), 30)
    const actions = await db
      .from('audit_logs')
      .where('subject_type', 'telemetry_release')
      .orderBy('id')
      .select('action')
    assert.deepEqual(
      actions.map((a) => a.action),
      [
        'telemetry.release_published',
        'telemetry.release_halted',
        'telemetry.release_resumed',
        'telemetry.release_updated',
      ]
    )
  })

  test('the releases page shows adoption and the crash-free rate per release', async ({
    client,
    assert,
  }) => {
    const admin = await UserFactory.apply('admin').create()
    await release('1.4.2')
    const { token } = await ingestCompany()
    for (const events of [[event()], [event()], [event(), errorEvent()], [event()]]) {
      const response = await client
        .post('/api/v1/telemetry/batch')
        .bearerToken(token)
        .json(batch(events))
      response.assertStatus(202)
    }
    const page = await client.get('/admin/telemetry/releases').loginAs(admin).withInertia()
    page.assertInertiaComponent('telemetry/releases/index')
    const [shown] = (page.inertiaProps as any).releases
    assert.deepEqual(shown.health, {
      activeInstallations: 4,
      adoption: 1,
      installations: 4,
      crashFreeRate: 0.75,
    })
  })
})
