import { test } from '@japa/runner'
import router from '@adonisjs/core/services/router'
import db from '@adonisjs/lucid/services/db'
import User from '#accounts/models/user'
import Invitation from '#accounts/models/invitation'
import { DateTime } from 'luxon'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Task from '#tasks/models/task'
import { RoomsService } from '#rooms/services/rooms_service'
import app from '@adonisjs/core/services/app'
import { isolate } from '#tests/helpers/database'
import {
  createCompanyWithOwner,
  createMember,
  UserFactory,
} from '#accounts/database/factories/user_factory'

/*
| Tenancy proof: every route whose URL carries a company id is called by a member of company A
| with company B's ids. Each must answer 404 and leave B's rows untouched. Routes are read from
| the router, so a new company-scoped route is covered the day it is added.
*/
type Fixture = Awaited<ReturnType<typeof createTenant>>

async function createTenant() {
  const { company, owner, membership } = await createCompanyWithOwner()
  const { membership: member } = await createMember(company, 'member')
  const invitation = await Invitation.create({
    companyId: company.id,
    email: `invitee.${company.id}@example.test`,
    role: 'member',
    tokenHash: `hash-${company.id}-${Date.now()}`,
    invitedById: owner.id,
    expiresAt: DateTime.now().plus({ days: 7 }),
    sentAt: DateTime.now(),
  })
  const token = await User.accessTokens.create(owner, ['*'], {
    companyId: company.id,
    name: 'tenant token',
  })
  const dir = await mkdtemp(join(tmpdir(), 'tenancy-'))
  await writeFile(join(dir, 'export.csv'), 'id\n1\n')
  const task = await Task.create({
    companyId: company.id,
    userId: owner.id,
    title: 'Export',
    jobName: 'fixtures/record',
    jobId: `tenancy-${company.id}`,
    queue: 'default',
    status: 'completed',
    progress: 100,
    attempts: 1,
    resultFile: join(dir, 'export.csv'),
    resultFileName: 'export.csv',
    resultFileSize: 6,
  })
  const rooms = await app.container.make(RoomsService)
  const room = await rooms.create(
    { userId: owner.id, companyId: company.id, role: 'owner' },
    { name: 'Tenancy', visibility: 'invite_only' }
  )
  const [file] = await db
    .table('files')
    .insert({
      uuid: `00000000-0000-4000-8000-${String(company.id).padStart(12, '0')}`,
      company_id: company.id,
      uploaded_by: owner.id,
      name: 'plan.pdf',
      mime: 'application/pdf',
      size: 3,
      sha256: '0'.repeat(64),
      disk: 'fs',
      storage_key: `companies/${company.id}/tenancy`,
      status: 'active',
      created_at: Date.now(),
    })
    .returning('id')
  const fileId = Number(typeof file === 'object' ? file.id : file)
  return {
    company,
    owner,
    ownerMembership: membership,
    member,
    invitation,
    token,
    task,
    room,
    fileId,
  }
}

/* Signed links answer a bad id like a bad signature: back to the app with a message. */
const SIGNED_LINKS = /^\/(verify-email|email-changes)\//

/* Which fixture id fills `:id` for each kind of nested resource. */
const RESOURCE_IDS: Array<[RegExp, (fixture: Fixture) => number]> = [
  [/\/members\/:id/, (f) => f.member.id],
  [/\/invitations\/:id/, (f) => f.invitation.id],
  [/\/tokens\/:id/, (f) => Number(f.token.identifier)],
  [/\/tasks\/:id/, (f) => f.task.id],
  [/\/rooms\/:id/, (f) => f.room.id],
  [/\/direct\/:id/, (f) => f.fileId],
  [/\/files\/:id/, (f) => f.fileId],
]

/* Company GET routes that answer a redirect by design (to a short-lived signed link). */
const REDIRECTS = new Set(['files.files.download'])

function companyScopedRoutes() {
  return Object.values(router.toJSON())
    .flat()
    .filter((route) => route.pattern.includes(':companyId'))
    .flatMap((route) =>
      route.methods
        .filter((method) => method !== 'HEAD')
        .map((method) => ({ method, pattern: route.pattern, name: route.name }))
    )
}

function urlFor(pattern: string, companyId: number, fixture: Fixture) {
  let url = pattern.replace(':companyId', String(companyId))
  if (url.includes(':id')) {
    const match = RESOURCE_IDS.find(([regex]) => regex.test(pattern))
    if (!match) throw new Error(`Add ${pattern} to RESOURCE_IDS in the tenancy test`)
    url = url.replace(':id', String(match[1](fixture)))
  }
  return url.replace(':userId', String(fixture.member.userId))
}

/* Everything company B owns, to prove a refused request changed nothing. */
async function snapshot(companyId: number) {
  const [company, memberships, invitations, tokens, tasks, rooms, files] = await Promise.all([
    db.from('companies').where('id', companyId).select('id', 'name'),
    db
      .from('memberships')
      .where('company_id', companyId)
      .orderBy('id')
      .select('id', 'user_id', 'role'),
    db
      .from('invitations')
      .where('company_id', companyId)
      .orderBy('id')
      .select('id', 'email', 'token_hash'),
    db.from('auth_access_tokens').where('company_id', companyId).orderBy('id').select('id', 'hash'),
    db
      .from('tasks')
      .where('company_id', companyId)
      .orderBy('id')
      .select('id', 'status', 'cancel_requested_at'),
    db
      .from('rooms')
      .leftJoin('room_members', 'room_members.room_id', 'rooms.id')
      .where('rooms.company_id', companyId)
      .orderBy(['rooms.id', 'room_members.user_id'])
      .select('rooms.id', 'rooms.name', 'rooms.archived_at', 'room_members.user_id'),
    db.from('files').where('company_id', companyId).orderBy('id').select('id', 'status', 'name'),
  ])
  return JSON.stringify({ company, memberships, invitations, tokens, tasks, rooms, files })
}

/* The public API takes a bearer token of the user's current company instead of a session. */
const bearers = new Map<number, string>()
async function bearerFor(user: User) {
  if (!bearers.has(user.id)) {
    const membership = await db.from('memberships').where('user_id', user.id).first()
    const token = await User.accessTokens.create(user, ['*'], { companyId: membership.company_id })
    bearers.set(user.id, token.value!.release())
  }
  return bearers.get(user.id)!
}

async function send(client: any, method: string, url: string, user: User) {
  if (url.startsWith('/api/')) {
    return client[method.toLowerCase()](url).bearerToken(await bearerFor(user))
  }
  const request = client[method.toLowerCase()](url).loginAs(user).redirects(0)
  return method === 'GET'
    ? request
    : request
        .withCsrfToken()
        .form({ name: 'Hijacked', role: 'owner', confirmation: 'x', email: 'x@example.test' })
}

test.group('Tenancy', (group) => {
  isolate(group)
  group.each.setup(() => bearers.clear())

  test('the walk covers the company-scoped routes', async ({ assert }) => {
    const names = companyScopedRoutes().map((route) => route.name)
    assert.includeMembers(names, [
      'accounts.members.index',
      'accounts.members.destroy',
      'accounts.api_tokens.store',
      'accounts.companies.destroy',
    ])
  })

  test('every company-scoped route answers 404 with another company’s ids and changes nothing', async ({
    client,
    assert,
  }) => {
    const a = await createTenant()
    const b = await createTenant()
    const before = await snapshot(b.company.id)

    for (const route of companyScopedRoutes()) {
      const response = await send(
        client,
        route.method,
        urlFor(route.pattern, b.company.id, b),
        a.owner
      )
      assert.equal(response.status(), 404, `${route.method} ${route.pattern} (foreign company)`)
    }
    assert.equal(await snapshot(b.company.id), before)
  })

  test('nested ids of another company are 404 even under your own company', async ({
    client,
    assert,
  }) => {
    const a = await createTenant()
    const b = await createTenant()
    const before = await snapshot(b.company.id)

    for (const route of companyScopedRoutes().filter((r) => r.pattern.includes(':id'))) {
      const url = urlFor(route.pattern, b.company.id, b).replace(
        `/companies/${b.company.id}/`,
        `/companies/${a.company.id}/`
      )
      const response = await send(client, route.method, url, a.owner)
      assert.equal(response.status(), 404, `${route.method} ${route.pattern} (foreign resource)`)
    }
    assert.equal(await snapshot(b.company.id), before)
  })

  test('the same pages open for a member of the company (the 404s are about tenancy)', async ({
    client,
    assert,
  }) => {
    const a = await createTenant()
    for (const route of companyScopedRoutes().filter((r) => r.method === 'GET')) {
      const response = await send(client, 'GET', urlFor(route.pattern, a.company.id, a), a.owner)
      const expected = REDIRECTS.has(route.name ?? '') ? 302 : 200
      assert.equal(response.status(), expected, `GET ${route.pattern}`)
    }
  })

  test('an API token only ever sees its own company', async ({ client, assert }) => {
    const a = await createTenant()
    const b = await createTenant()
    const token = (
      await User.accessTokens.create(a.owner, ['*'], { companyId: a.company.id })
    ).value!.release()
    const members = await client.get('/api/v1/members').bearerToken(token)
    const companyIds = new Set(members.body().data.map((m: any) => m.user.id))
    assert.isFalse(companyIds.has(b.owner.id))
    const me = await client.get('/api/v1/me').bearerToken(token)
    assert.equal(me.body().company.id, a.company.id)
  })

  test('ids that cannot name a row are 404 everywhere, never a server error', async ({
    client,
    assert,
  }) => {
    const a = await createTenant()
    const admin = await UserFactory.apply('admin').create()
    const garbage = ['abc', '0', '-1', '1.5', '2147483648', '99999999999', '9'.repeat(30)]
    const routes = Object.values(router.toJSON())
      .flat()
      .filter((route) => /:(companyId|id)\b/.test(route.pattern))
      .flatMap((route) =>
        route.methods
          .filter((m) => m !== 'HEAD')
          .map((method) => ({ method, pattern: route.pattern }))
      )
    for (const route of routes) {
      for (const value of garbage) {
        const url = route.pattern
          .replace(':companyId', route.pattern.includes(':id') ? String(a.company.id) : value)
          .replace(':id', value)
        const user = route.pattern.startsWith('/admin') ? admin : a.owner
        const response = await send(client, route.method, url, user)
        if (SIGNED_LINKS.test(route.pattern)) assert.isBelow(response.status(), 500, url)
        else assert.equal(response.status(), 404, `${route.method} ${url}`)
      }
    }
  }).timeout(60_000)

  test('a bearer token naming no row is a 401, and so is a wrong secret for a real one', async ({
    client,
    assert,
  }) => {
    const a = await createTenant()
    const id = Buffer.from('x').toString('base64url')
    const forged = await client.get('/api/v1/me').bearerToken(`tdm_${id}.abcdef`)
    forged.assertStatus(401)
    const realId = Buffer.from(String(a.token.identifier)).toString('base64url')
    const [before] = await User.accessTokens.forCompany(a.owner, a.company.id)
    const wrong = await client.get('/api/v1/me').bearerToken(`tdm_${realId}.${'x'.repeat(40)}`)
    wrong.assertStatus(401)
    const [after] = await User.accessTokens.forCompany(a.owner, a.company.id)
    assert.deepEqual(after.lastUsedAt, before.lastUsedAt)
  })
})
