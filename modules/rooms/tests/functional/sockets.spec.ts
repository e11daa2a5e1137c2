import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { isolate } from '#tests/helpers/database'
import { connect, nextEvent, refused, silence, testServerUrl } from '#tests/helpers/realtime'
import { createCompanyWithOwner } from '#accounts/database/factories/user_factory'
import { ask, roomFor, roomSockets, team, tokenFor } from '#rooms/tests/helpers/rooms'

/*
| The /rooms namespace with real socket.io-client connections against the test server: who may
| connect and act, message order, presence and the timer as late joiners and reconnects see it.
*/
test.group('Rooms over Socket.IO', (group) => {
  isolate(group)
  const open = roomSockets(group)

  test('refuses a connection without a session or token, and a token without rooms:join', async ({
    assert,
  }) => {
    const anonymous = connect(`${testServerUrl()}/rooms`)
    const error = await refused(anonymous)
    anonymous.disconnect()
    assert.equal(error.data?.code, 'E_UNAUTHORIZED_ACCESS')

    const { company, owner } = await team()
    const stranger = connect(`${testServerUrl()}/rooms`, {
      token: await tokenFor(owner, company, ['credits:read']),
    })
    const forbidden = await refused(stranger)
    stranger.disconnect()
    assert.equal(forbidden.data?.code, 'E_FORBIDDEN')
    assert.match(forbidden.data?.message, /rooms:join/)
  })

  test('a non-member cannot join, send or signal, and nothing is stored', async ({ assert }) => {
    const { company, owner } = await team()
    const room = await roomFor(company, owner, { visibility: 'invite_only' })
    const other = await createCompanyWithOwner()
    const outsider = await open({ token: await tokenFor(other.owner, other.company) })

    const joined = await ask(outsider, 'room:join', { roomId: room.id })
    assert.deepEqual(joined, {
      ok: false,
      error: { code: 'E_NOT_FOUND', message: 'Room not found' },
    })
    const sent = await ask(outsider, 'message:send', { roomId: room.id, body: 'hi' })
    assert.equal(sent.error.code, 'E_NOT_FOUND')
    const signal = await ask(outsider, 'signal', { roomId: room.id, to: 'x', data: {} })
    assert.equal(signal.error.code, 'E_NOT_IN_ROOM')
    const count = await db.from('room_messages').count('* as total')
    assert.equal(Number(count[0].total), 0)
  })

  test('a company member who was not invited cannot get into an invite-only room', async ({
    assert,
  }) => {
    const { company, owner, member } = await team()
    const room = await roomFor(company, owner, { visibility: 'invite_only' })
    const socket = await open({ token: await tokenFor(member, company) })
    const joined = await ask(socket, 'room:join', { roomId: room.id })
    assert.equal(joined.error.code, 'E_NOT_FOUND')
    const typed = await ask(socket, 'room:join', { roomId: 'abc' })
    assert.containsSubset(typed.error, { code: 'E_VALIDATION_ERROR', field: 'roomId' })
  })

  test('messages arrive in order, to everyone in the room, and are stored', async ({ assert }) => {
    const { company, owner, member } = await team()
    const room = await roomFor(company, owner)
    const ada = await open({ token: await tokenFor(owner, company) })
    const bo = await open({ token: await tokenFor(member, company) })
    assert.isTrue((await ask(ada, 'room:join', { roomId: room.id })).ok)
    assert.isTrue((await ask(bo, 'room:join', { roomId: room.id })).ok)

    const received: string[] = []
    bo.on('message:new', (message) => received.push(message.body))
    for (let i = 1; i <= 20; i++) {
      const reply = await ask(ada, 'message:send', { roomId: room.id, body: `message ${i}` })
      assert.equal(reply.message.body, `message ${i}`)
    }
    const deadline = Date.now() + 5000
    while (received.length < 20 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20))
    assert.deepEqual(
      received,
      Array.from({ length: 20 }, (_, i) => `message ${i + 1}`)
    )
    const rows = await db.from('room_messages').where('room_id', room.id).orderBy('id')
    assert.deepEqual(
      rows.map((row) => row.body),
      received
    )
    assert.isTrue(rows.every((row) => row.user_id === owner.id))
  })

  test('presence counts a user with two tabs once, and drops them when both close', async ({
    assert,
  }) => {
    const { company, owner, member } = await team()
    const room = await roomFor(company, owner)
    const watcher = await open({ token: await tokenFor(member, company) })
    await ask(watcher, 'room:join', { roomId: room.id })

    const tabOne = await open({ token: await tokenFor(owner, company) })
    const tabTwo = await open({ token: await tokenFor(owner, company) })
    await ask(tabOne, 'room:join', { roomId: room.id })
    const second = await ask(tabTwo, 'room:join', { roomId: room.id })
    assert.deepEqual(
      second.members.map((m: any) => [m.name, m.connections]),
      [
        ['Ada Owner', 2],
        ['Bo Member', 1],
      ]
    )

    const afterOne = nextEvent(watcher, 'presence:update')
    tabOne.disconnect()
    assert.deepEqual(
      (await afterOne).members.map((m: any) => [m.name, m.connections]),
      [
        ['Ada Owner', 1],
        ['Bo Member', 1],
      ]
    )
    const afterBoth = nextEvent(watcher, 'presence:update')
    tabTwo.disconnect()
    assert.deepEqual(
      (await afterBoth).members.map((m: any) => m.name),
      ['Bo Member']
    )
  })

  test('the timer is the server’s: a reconnecting client sees where it is now', async ({
    assert,
  }) => {
    const { company, owner, member } = await team()
    const room = await roomFor(company, owner)
    const ada = await open({ token: await tokenFor(owner, company) })
    await ask(ada, 'room:join', { roomId: room.id })
    const started = await ask(ada, 'timer:start', {
      roomId: room.id,
      focusSeconds: 60,
      breakSeconds: 30,
    })
    assert.containsSubset(started.timer, { status: 'running', phase: 'focus', cycle: 1 })
    const twice = await ask(ada, 'timer:start', { roomId: room.id })
    assert.equal(twice.error.code, 'E_TIMER_RUNNING')

    const token = await tokenFor(member, company)
    const first = await open({ token })
    const seen = (await ask(first, 'room:join', { roomId: room.id })).timer
    first.disconnect()
    await new Promise((r) => setTimeout(r, 300))
    const again = await open({ token })
    const later = (await ask(again, 'room:join', { roomId: room.id })).timer
    assert.equal(later.status, 'running')
    assert.equal(later.anchorAt, started.timer.anchorAt)
    assert.isBelow(later.remainingMs, seen.remainingMs - 250)
    assert.isAbove(later.remainingMs, 60_000 - 5000)

    const paused = nextEvent(again, 'timer:update')
    await ask(ada, 'timer:pause', { roomId: room.id })
    const update = await paused
    assert.equal(update.status, 'paused')
    const row = await db.from('room_timers').where('room_id', room.id).first()
    assert.equal(row.status, 'paused')
    assert.equal(Number(row.elapsed_ms), update.elapsedMs)
    const invalid = await ask(ada, 'timer:configure', { roomId: room.id, focusSeconds: 0 })
    assert.containsSubset(invalid.error, { code: 'E_VALIDATION_ERROR', field: 'focusSeconds' })
  })

  test('a client back after a disconnect gets what it missed by last-seen id', async ({
    assert,
  }) => {
    const { company, owner, member } = await team()
    const room = await roomFor(company, owner)
    const ada = await open({ token: await tokenFor(owner, company) })
    await ask(ada, 'room:join', { roomId: room.id })
    const seen = await ask(ada, 'message:send', { roomId: room.id, body: 'before' })

    const token = await tokenFor(member, company)
    const bo = await open({ token })
    await ask(bo, 'room:join', { roomId: room.id })
    bo.disconnect()
    await ask(ada, 'message:send', { roomId: room.id, body: 'while away 1' })
    await ask(ada, 'message:send', { roomId: room.id, body: 'while away 2' })

    const back = await open({ token })
    const joined = await ask(back, 'room:join', { roomId: room.id, lastMessageId: seen.message.id })
    assert.deepEqual(
      joined.messages.map((m: any) => m.body),
      ['while away 1', 'while away 2']
    )
    assert.isFalse(joined.hasMore)
  })

  test('Socket.IO recovers a short disconnect with the packets it missed', async ({ assert }) => {
    const { company, owner, member } = await team()
    const room = await roomFor(company, owner)
    const ada = await open({ token: await tokenFor(owner, company) })
    await ask(ada, 'room:join', { roomId: room.id })
    const bo = await open({ token: await tokenFor(member, company) })
    await ask(bo, 'room:join', { roomId: room.id })
    bo.io.reconnection(true)
    bo.io.reconnectionDelay(50)

    const bodies: string[] = []
    bo.on('message:new', (message) => bodies.push(message.body))
    const presence: string[][] = []
    ada.on('presence:update', (update) => presence.push(update.members.map((m: any) => m.name)))
    const reconnected = new Promise<void>((resolve) => bo.once('connect', () => resolve()))
    bo.io.engine.close()
    await ask(ada, 'message:send', { roomId: room.id, body: 'sent during the drop' })
    await reconnected
    assert.isTrue(bo.recovered)
    const deadline = Date.now() + 3000
    while (!bodies.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    assert.deepEqual(bodies, ['sent during the drop'])
    /* Its drop was announced; its return is too. */
    while (presence.at(-1)?.length !== 2 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20))
    assert.deepInclude(presence, ['Ada Owner'])
    assert.deepEqual(presence.at(-1), ['Ada Owner', 'Bo Member'])
  })

  test('a member removed from a room is told, and hears nothing more from it', async ({
    client,
    assert,
  }) => {
    const { company, owner, member } = await team()
    const room = await roomFor(company, owner)
    const ada = await open({ token: await tokenFor(owner, company) })
    const bo = await open({ token: await tokenFor(member, company) })
    for (const socket of [ada, bo]) await ask(socket, 'room:join', { roomId: room.id })

    const renamed = nextEvent(bo, 'room:update')
    await client
      .patch(`/api/v1/rooms/${room.id}`)
      .bearerToken(await tokenFor(owner, company))
      .json({ name: 'Renamed' })
    const update = await renamed
    assert.equal(update.name, 'Renamed')
    assert.notProperty(update, 'canManage')
    assert.notProperty(update, 'joined')

    const removed = nextEvent(bo, 'room:removed')
    const response = await client
      .delete(`/api/v1/rooms/${room.id}/members/${member.id}`)
      .bearerToken(await tokenFor(owner, company))
    response.assertStatus(204)
    assert.deepEqual(await removed, { roomId: room.id })
    const quiet = silence(bo, 'message:new')
    await ask(ada, 'message:send', { roomId: room.id, body: 'after the removal' })
    assert.isTrue(await quiet)
    const late = await ask(bo, 'message:send', { roomId: room.id, body: 'still here?' })
    assert.equal(late.error.code, 'E_NOT_A_ROOM_MEMBER')
  })

  test('signals reach only the peer they are for, with who sent them', async ({ assert }) => {
    const { company, owner, member } = await team()
    const room = await roomFor(company, owner)
    const ada = await open({ token: await tokenFor(owner, company) })
    const bo = await open({ token: await tokenFor(member, company) })
    const third = await open({ token: await tokenFor(member, company) })
    for (const socket of [ada, bo]) await ask(socket, 'room:join', { roomId: room.id })

    const joined = await ask(ada, 'call:join', { roomId: room.id })
    assert.deepEqual(joined.call, [])
    assert.isArray(joined.iceServers)
    assert.isString(joined.expiresAt)
    const call = await ask(bo, 'call:join', { roomId: room.id, video: false })
    assert.deepEqual(
      call.call.map((p: any) => p.socketId),
      [ada.id]
    )

    const arrived = nextEvent(ada, 'signal')
    const quiet = silence(third, 'signal')
    const sent = await ask(bo, 'signal', {
      roomId: room.id,
      to: ada.id,
      data: { type: 'offer', sdp: 'v=0' },
    })
    assert.isTrue(sent.ok)
    assert.deepEqual(await arrived, {
      roomId: room.id,
      from: bo.id,
      fromUserId: member.id,
      data: { type: 'offer', sdp: 'v=0' },
    })
    assert.isTrue(await quiet)
    const stray = await ask(bo, 'signal', { roomId: room.id, to: third.id, data: {} })
    assert.equal(stray.error.code, 'E_NOT_FOUND')
    const huge = await ask(bo, 'signal', { roomId: room.id, to: ada.id, data: 'x'.repeat(70_000) })
    assert.equal(huge.error.code, 'E_SIGNAL_TOO_LARGE')
  })
})
