import { test } from '@japa/runner'
import { rm } from 'node:fs/promises'
import { DatabaseSync } from 'node:sqlite'
import app from '@adonisjs/core/services/app'
import { ace, baseEnv, startServer } from '#tests/helpers/app_process'
import { connect, connected, nextEvent } from '#tests/helpers/realtime'
import { ask } from '#rooms/tests/helpers/rooms'

/*
| Two app processes sharing Redis and one database, a client on each: chat, presence, the timer
| and call signals behave as if there were one server — and survive both processes restarting.
*/
const redisHost = process.env.REDIS_HOST

test.group('Rooms across app processes', () => {
  test('messages, presence, timer and signals stay consistent across two processes', async ({
    assert,
    cleanup,
  }) => {
    const database = app.makePath('tmp', `rooms-cluster-${process.pid}.sqlite3`)
    const env = baseEnv({
      DB_CONNECTION: 'sqlite',
      SQLITE_PATH: database,
      REDIS_HOST: redisHost!,
      REDIS_PORT: process.env.REDIS_PORT ?? '6379',
      REDIS_DB: process.env.REDIS_DB ?? '0',
      REDIS_KEY_PREFIX: `rooms-cluster-${process.pid}:`,
      APP_URL: 'http://127.0.0.1',
      PORT: '0',
    })
    cleanup(async () => {
      for (const suffix of ['', '-wal', '-shm']) await rm(`${database}${suffix}`, { force: true })
    })
    await ace(['migration:run', '--force'], env)
    const password = 'cluster passphrase'
    const create = async (email: string, name: string) =>
      JSON.parse(
        await ace(
          ['users:create', email, `--password=${password}`, `--name=${name}`, '--json'],
          env
        )
      )
    const ada = await create('ada@example.test', 'Ada')
    const bo = await create('bo@example.test', 'Bo')
    const sqlite = new DatabaseSync(database)
    const now = new Date().toISOString()
    sqlite
      .prepare(
        'insert into memberships (company_id, user_id, role, created_at, updated_at) values (?, ?, ?, ?, ?)'
      )
      .run(ada.companyId, bo.userId, 'member', now, now)
    sqlite.close()

    const [first, second] = await Promise.all([startServer(env), startServer(env)])
    cleanup(() => Promise.all([first.stop(), second.stop()]).then(() => {}))
    const token = async (url: string, email: string) => {
      const response = await fetch(`${url}/api/v1/auth/tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password, deviceName: 'cluster', companyId: ada.companyId }),
      })
      return ((await response.json()) as { token: string }).token
    }
    const adaToken = await token(first.url, 'ada@example.test')
    const boToken = await token(second.url, 'bo@example.test')
    const created = await fetch(`${first.url}/api/v1/rooms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'authorization': `Bearer ${adaToken}` },
      body: JSON.stringify({ name: 'Everywhere' }),
    }).then((r) => r.json() as Promise<{ room: { id: number } }>)
    const roomId = created.room.id

    const onFirst = connect(`${first.url}/rooms`, { token: adaToken })
    const onSecond = connect(`${second.url}/rooms`, { token: boToken })
    cleanup(() => {
      onFirst.disconnect()
      onSecond.disconnect()
    })
    await Promise.all([connected(onFirst), connected(onSecond)])
    assert.isTrue((await ask(onFirst, 'room:join', { roomId })).ok)
    const seen = nextEvent(onFirst, 'presence:update', 5000)
    const joined = await ask(onSecond, 'room:join', { roomId })
    assert.deepEqual(
      joined.members.map((m: any) => m.name),
      ['Ada', 'Bo']
    )
    assert.deepEqual(
      (await seen).members.map((m: any) => m.name),
      ['Ada', 'Bo']
    )

    const message = nextEvent(onSecond, 'message:new', 5000)
    await ask(onFirst, 'message:send', { roomId, body: 'hello from process one' })
    assert.containsSubset(await message, { body: 'hello from process one', author: 'Ada' })
    const overHttp = nextEvent(onFirst, 'message:new', 5000)
    await fetch(`${second.url}/api/v1/rooms/${roomId}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'authorization': `Bearer ${boToken}` },
      body: JSON.stringify({ body: 'posted to process two' }),
    })
    assert.containsSubset(await overHttp, { body: 'posted to process two', author: 'Bo' })

    const timer = nextEvent(onFirst, 'timer:update', 5000)
    const started = await ask(onSecond, 'timer:start', {
      roomId,
      focusSeconds: 1500,
      breakSeconds: 300,
    })
    assert.equal((await timer).anchorAt, started.timer.anchorAt)
    const late = connect(`${first.url}/rooms`, { token: adaToken })
    cleanup(() => {
      late.disconnect()
    })
    await connected(late)
    const lateJoin = await ask(late, 'room:join', { roomId })
    assert.containsSubset(lateJoin.timer, { status: 'running', anchorAt: started.timer.anchorAt })
    assert.deepEqual(
      lateJoin.members.map((m: any) => [m.name, m.connections]),
      [
        ['Ada', 2],
        ['Bo', 1],
      ]
    )

    await ask(onFirst, 'call:join', { roomId })
    const call = await ask(onSecond, 'call:join', { roomId })
    assert.deepEqual(
      call.call.map((p: any) => p.socketId),
      [onFirst.id]
    )
    const signal = nextEvent(onFirst, 'signal', 5000)
    assert.isTrue(
      (await ask(onSecond, 'signal', { roomId, to: onFirst.id, data: { type: 'offer' } })).ok
    )
    assert.containsSubset(await signal, { from: onSecond.id, data: { type: 'offer' } })

    const gone = nextEvent(onFirst, 'presence:update', 5000)
    onSecond.disconnect()
    assert.deepEqual(
      (await gone).members.map((m: any) => m.name),
      ['Ada']
    )

    /* Both processes restart: the timer and the chat are where they were. */
    await Promise.all([first.stop(), second.stop()])
    const restarted = await startServer(env)
    cleanup(() => restarted.stop())
    const after = connect(`${restarted.url}/rooms`, { token: boToken })
    cleanup(() => {
      after.disconnect()
    })
    await connected(after)
    const rejoined = await ask(after, 'room:join', { roomId })
    assert.containsSubset(rejoined.timer, {
      status: 'running',
      anchorAt: started.timer.anchorAt,
      focusSeconds: 1500,
    })
    assert.deepEqual(
      rejoined.messages.map((m: any) => m.body),
      ['hello from process one', 'posted to process two']
    )
  })
    .skip(!redisHost, 'needs Redis: set REDIS_HOST (CI does) to run two app processes against it')
    .timeout(120_000)
})
