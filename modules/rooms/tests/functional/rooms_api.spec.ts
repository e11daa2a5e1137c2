import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { isolate } from '#tests/helpers/database'
import { nextEvent } from '#tests/helpers/realtime'
import { createCompanyWithOwner, createMember } from '#accounts/database/factories/user_factory'
import { turnPassword } from '#rooms/services/ice_servers'
import { ask, roomFor, roomSockets, swapSettings, team, tokenFor } from '#rooms/tests/helpers/rooms'

/* /api/v1/rooms for desktop clients: the same rules as the web and the socket. */
const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

test.group('Rooms API', (group) => {
  isolate(group)
  const open = roomSockets(group)

  test('creates, lists, renames and archives rooms; invite-only rooms stay invisible', async ({
    client,
    assert,
  }) => {
    const { company, owner, member } = await team()
    const ownerToken = await tokenFor(owner, company)
    const memberToken = await tokenFor(member, company)

    const created = await client
      .post('/api/v1/rooms')
      .headers(bearer(memberToken))
      .json({ name: '  Standup ', topic: 'Daily', visibility: 'public' })
    created.assertStatus(201)
    assert.containsSubset(created.body().room, {
      name: 'Standup',
      topic: 'Daily',
      visibility: 'public',
      joined: true,
      memberCount: 1,
      canManage: true,
      archived: false,
    })
    const secret = await client
      .post('/api/v1/rooms')
      .headers(bearer(ownerToken))
      .json({ name: 'Board', visibility: 'invite_only' })
    secret.assertStatus(201)

    const seenByMember = await client.get('/api/v1/rooms').headers(bearer(memberToken))
    assert.deepEqual(
      seenByMember.body().data.map((r: any) => r.name),
      ['Standup']
    )
    const hidden = await client
      .get(`/api/v1/rooms/${secret.body().room.id}`)
      .headers(bearer(memberToken))
    hidden.assertStatus(404)

    const standup = created.body().room.id
    const byOwner = await client
      .patch(`/api/v1/rooms/${standup}`)
      .headers(bearer(ownerToken))
      .json({ name: 'Daily standup', archived: true })
    byOwner.assertStatus(200)
    assert.containsSubset(byOwner.body().room, { name: 'Daily standup', archived: true })
    const listed = await client.get('/api/v1/rooms?archived=true').headers(bearer(ownerToken))
    assert.deepEqual(
      listed.body().data.map((r: any) => r.name),
      ['Daily standup']
    )

    const { user: third } = await createMember(company, 'member')
    const refused = await client
      .patch(`/api/v1/rooms/${standup}`)
      .headers(bearer(await tokenFor(third, company)))
      .json({ name: 'Mine now' })
    refused.assertStatus(403)
    const row = await db.from('rooms').where('id', standup).first()
    assert.equal(row.name, 'Daily standup')

    const bad = await client.post('/api/v1/rooms').headers(bearer(ownerToken)).json({ name: '' })
    bad.assertStatus(422)
    assert.equal(bad.body().errors[0].field, 'name')
  })

  test('join and leave a public room; an invite-only one needs an invitation', async ({
    client,
    assert,
  }) => {
    const { company, owner, member } = await team()
    const lobby = await roomFor(company, owner, { name: 'Lobby' })
    const closed = await roomFor(company, owner, { name: 'Board', visibility: 'invite_only' })
    const token = await tokenFor(member, company)

    const before = await client.get(`/api/v1/rooms/${lobby.id}/messages`).headers(bearer(token))
    before.assertStatus(403)
    assert.equal(before.body().errors[0].code, 'E_NOT_A_ROOM_MEMBER')
    const joined = await client.post(`/api/v1/rooms/${lobby.id}/membership`).headers(bearer(token))
    joined.assertStatus(200)
    assert.containsSubset(joined.body().room, { joined: true, memberCount: 2 })
    ;(
      await client.post(`/api/v1/rooms/${lobby.id}/membership`).headers(bearer(token))
    ).assertStatus(200)
    const members = await db.from('room_members').where('room_id', lobby.id)
    assert.lengthOf(members, 2)

    const refused = await client
      .post(`/api/v1/rooms/${closed.id}/membership`)
      .headers(bearer(token))
    refused.assertStatus(404)
    const invited = await client
      .post(`/api/v1/rooms/${closed.id}/members`)
      .headers(bearer(await tokenFor(owner, company)))
      .json({ userId: member.id })
    invited.assertStatus(201)
    assert.deepEqual(
      invited.body().data.map((m: any) => m.name),
      ['Ada Owner', 'Bo Member']
    )
    const outsider = await createCompanyWithOwner()
    const foreign = await client
      .post(`/api/v1/rooms/${closed.id}/members`)
      .headers(bearer(await tokenFor(owner, company)))
      .json({ userId: outsider.owner.id })
    foreign.assertStatus(422)
    assert.equal(foreign.body().errors[0].code, 'E_NOT_A_COMPANY_MEMBER')

    ;(
      await client.delete(`/api/v1/rooms/${lobby.id}/membership`).headers(bearer(token))
    ).assertStatus(204)
    assert.lengthOf(
      await db.from('room_members').where({ room_id: lobby.id, user_id: member.id }),
      0
    )
  })

  test('a message posted over HTTP is delivered live; history pages and catches up', async ({
    client,
    assert,
  }) => {
    const { company, owner, member } = await team()
    const room = await roomFor(company, owner)
    const token = await tokenFor(owner, company)
    const listener = await open({ token: await tokenFor(member, company) })
    await ask(listener, 'room:join', { roomId: room.id })

    const live = nextEvent(listener, 'message:new')
    const posted = await client
      .post(`/api/v1/rooms/${room.id}/messages`)
      .headers(bearer(token))
      .json({ body: 'from the desktop' })
    posted.assertStatus(201)
    assert.containsSubset(await live, {
      id: posted.body().message.id,
      body: 'from the desktop',
      author: 'Ada Owner',
      roomId: room.id,
    })
    for (let i = 1; i <= 4; i++)
      await client
        .post(`/api/v1/rooms/${room.id}/messages`)
        .headers(bearer(token))
        .json({ body: `n${i}` })

    const page1 = await client
      .get(`/api/v1/rooms/${room.id}/messages?limit=2`)
      .headers(bearer(token))
    assert.deepEqual(
      page1.body().data.map((m: any) => m.body),
      ['n4', 'n3']
    )
    const page2 = await client
      .get(`/api/v1/rooms/${room.id}/messages?limit=2&cursor=${page1.body().nextCursor}`)
      .headers(bearer(token))
    assert.deepEqual(
      page2.body().data.map((m: any) => m.body),
      ['n2', 'n1']
    )
    const after = await client
      .get(`/api/v1/rooms/${room.id}/messages?after=${posted.body().message.id}&limit=3`)
      .headers(bearer(token))
    assert.deepEqual(
      after.body().data.map((m: any) => m.body),
      ['n1', 'n2', 'n3']
    )
    assert.isTrue(after.body().hasMore)
  })

  test('edits and deletes only your own messages, and tells the room', async ({
    client,
    assert,
  }) => {
    const { company, owner, member } = await team()
    const room = await roomFor(company, owner)
    const token = await tokenFor(owner, company)
    const memberToken = await tokenFor(member, company)
    await client.post(`/api/v1/rooms/${room.id}/membership`).headers(bearer(memberToken))
    const listener = await open({ token: memberToken })
    await ask(listener, 'room:join', { roomId: room.id })
    const posted = await client
      .post(`/api/v1/rooms/${room.id}/messages`)
      .headers(bearer(token))
      .json({ body: 'tpyo' })
    const id = posted.body().message.id

    const notMine = await client
      .patch(`/api/v1/rooms/${room.id}/messages/${id}`)
      .headers(bearer(memberToken))
      .json({ body: 'hijacked' })
    notMine.assertStatus(403)
    assert.equal(notMine.body().errors[0].code, 'E_NOT_MESSAGE_AUTHOR')

    const edited = nextEvent(listener, 'message:update')
    const fixed = await client
      .patch(`/api/v1/rooms/${room.id}/messages/${id}`)
      .headers(bearer(token))
      .json({ body: 'typo' })
    fixed.assertStatus(200)
    assert.containsSubset(await edited, { id, body: 'typo' })
    assert.isString((await edited).editedAt)

    const gone = nextEvent(listener, 'message:update')
    ;(
      await client.delete(`/api/v1/rooms/${room.id}/messages/${id}`).headers(bearer(token))
    ).assertStatus(204)
    assert.containsSubset(await gone, { id, deleted: true, body: '' })
    const row = await db.from('room_messages').where('id', id).first()
    assert.equal(row.body, '')
    assert.isNotNull(row.deleted_at)
  })

  test('refuses empty, oversized, too frequent and archived-room messages, storing none', async ({
    client,
    assert,
    cleanup,
  }) => {
    cleanup(swapSettings({ messageMaxLength: 10, messagesPer10s: 3 }))
    const { company, owner } = await team()
    const room = await roomFor(company, owner)
    const token = await tokenFor(owner, company)
    const post = (body: unknown) =>
      client.post(`/api/v1/rooms/${room.id}/messages`).headers(bearer(token)).json({ body })

    const empty = await post('   ')
    empty.assertStatus(422)
    assert.equal(empty.body().errors[0].code, 'E_MESSAGE_EMPTY')
    const long = await post('x'.repeat(11))
    long.assertStatus(413)
    assert.equal(long.body().errors[0].code, 'E_MESSAGE_TOO_LONG')
    for (let i = 0; i < 3; i++) (await post(`ok ${i}`)).assertStatus(201)
    const flood = await post('one more')
    flood.assertStatus(429)
    assert.equal(flood.body().errors[0].code, 'E_TOO_MANY_REQUESTS')
    assert.isAbove(Number(flood.header('retry-after')), 0)

    await client.patch(`/api/v1/rooms/${room.id}`).headers(bearer(token)).json({ archived: true })
    const socket = await open({ token })
    await ask(socket, 'room:join', { roomId: room.id })
    const archived = await ask(socket, 'message:send', { roomId: room.id, body: 'late' })
    assert.equal(archived.error.code, 'E_ROOM_ARCHIVED')
    const timer = await ask(socket, 'timer:start', { roomId: room.id })
    assert.equal(timer.error.code, 'E_ROOM_ARCHIVED')

    const rows = await db.from('room_messages').where('room_id', room.id).orderBy('id')
    assert.deepEqual(
      rows.map((r) => r.body),
      ['ok 0', 'ok 1', 'ok 2']
    )
  })

  test('messages carry files of the company, and only of the company', async ({
    client,
    assert,
  }) => {
    const { company, owner } = await team()
    const other = await createCompanyWithOwner()
    const room = await roomFor(company, owner)
    const token = await tokenFor(owner, company)
    const file = async (companyId: number, name: string) => {
      const [row] = await db
        .table('files')
        .insert({
          uuid: `00000000-0000-4000-8000-${String(Math.floor(Math.random() * 1e12)).padStart(12, '0')}`,
          company_id: companyId,
          name,
          mime: 'application/pdf',
          size: 2048,
          sha256: '0'.repeat(64),
          disk: 'fs',
          storage_key: `companies/${companyId}/${name}`,
          status: 'active',
          created_at: Date.now(),
        })
        .returning('id')
      return Number(typeof row === 'object' ? row.id : row)
    }
    const plan = await file(company.id, 'plan.pdf')
    const secret = await file(other.company.id, 'secret.pdf')

    const posted = await client
      .post(`/api/v1/rooms/${room.id}/messages`)
      .headers(bearer(token))
      .json({ attachments: [plan] })
    posted.assertStatus(201)
    assert.deepEqual(posted.body().message.attachments, [
      { id: plan, name: 'plan.pdf', size: 2048, mime: 'application/pdf' },
    ])
    assert.equal(posted.body().message.body, '')

    const foreign = await client
      .post(`/api/v1/rooms/${room.id}/messages`)
      .headers(bearer(token))
      .json({ body: 'look', attachments: [plan, secret] })
    foreign.assertStatus(404)
    const tooMany = await client
      .post(`/api/v1/rooms/${room.id}/messages`)
      .headers(bearer(token))
      .json({ body: 'many', attachments: Array.from({ length: 11 }, (_, i) => i + 1) })
    tooMany.assertStatus(422)
    const empty = await client
      .post(`/api/v1/rooms/${room.id}/messages`)
      .headers(bearer(token))
      .json({ attachments: [] })
    assert.equal(empty.body().errors[0].code, 'E_MESSAGE_EMPTY')
    assert.lengthOf(await db.from('room_messages').where('room_id', room.id), 1)

    const history = await client.get(`/api/v1/rooms/${room.id}/messages`).headers(bearer(token))
    assert.deepEqual(
      history.body().data[0].attachments.map((a: any) => a.name),
      ['plan.pdf']
    )
  })

  test('ice-servers hands out TURN credentials coturn can verify, and they expire', async ({
    client,
    assert,
    cleanup,
  }) => {
    const now = Date.UTC(2026, 11, 1, 12, 0, 0)
    cleanup(
      swapSettings({
        stunUrls: ['stun:turn.example.test:3478'],
        turnUrls: ['turn:turn.example.test:3478?transport=udp', 'turns:turn.example.test:5349'],
        turnSecret: 'north-wind',
        turnTtlSeconds: 3600,
        now: () => now,
      })
    )
    const { company, owner } = await team()
    const response = await client
      .get('/api/v1/rooms/ice-servers')
      .headers(bearer(await tokenFor(owner, company)))
    response.assertStatus(200)
    const expiry = now / 1000 + 3600
    assert.deepEqual(response.body(), {
      iceServers: [
        { urls: ['stun:turn.example.test:3478'] },
        {
          urls: ['turn:turn.example.test:3478?transport=udp', 'turns:turn.example.test:5349'],
          username: `${expiry}:${owner.id}`,
          credential: turnPassword('north-wind', `${expiry}:${owner.id}`),
        },
      ],
      ttlSeconds: 3600,
      expiresAt: new Date(expiry * 1000).toISOString(),
    })
    /* coturn's check, by hand: base64(HMAC-SHA1(secret, username)). */
    const { createHmac } = await import('node:crypto')
    assert.equal(
      response.body().iceServers[1].credential,
      createHmac('sha1', 'north-wind').update(`${expiry}:${owner.id}`).digest('base64')
    )
    assert.equal(response.header('cache-control'), 'no-store')
    ;(await client.get('/api/v1/rooms/ice-servers')).assertStatus(401)
  })

  test('a token without rooms:join is refused everywhere in /api/v1/rooms', async ({
    client,
    assert,
  }) => {
    const { company, owner } = await team()
    const token = await tokenFor(owner, company, ['credits:read'])
    const response = await client.get('/api/v1/rooms').headers(bearer(token))
    response.assertStatus(403)
    const created = await client.post('/api/v1/rooms').headers(bearer(token)).json({ name: 'x' })
    created.assertStatus(403)
    assert.lengthOf(await db.from('rooms'), 0)
  })
})
