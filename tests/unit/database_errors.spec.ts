import { test } from '@japa/runner'
import { createRequire } from 'node:module'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { IncomingMessage, ServerResponse } from 'node:http'
import { Socket, connect, createServer, type AddressInfo } from 'node:net'
import { PassThrough } from 'node:stream'
import { Logger } from '@adonisjs/core/logger'
import testUtils from '@adonisjs/core/services/test_utils'
import HttpExceptionHandler from '#app/exceptions/handler'
import databaseConfig from '#config/database'
import db from '@adonisjs/lucid/services/db'
import { ApiError } from '#app/exceptions/api_error'
import { DatabaseCircuitOpen, databaseUnavailable } from '#app/exceptions/database_errors'
import { toSocketError } from '#rooms/services/socket_errors'
import { handshakeRefusal } from '#app/realtime/realtime'
import { isSqliteConnection } from '#app/helpers/write_slots'

/*
| Which database failures are answered 503 with Retry-After (app/exceptions/database_errors.ts),
| from errors the real drivers raise: a server that is not listening, a session the server ends,
| SQLite's write lock held by another connection, a pool with no free connection.
*/
type Sqlite = { exec(sql: string): void; pragma(text: string): unknown; close(): void }
const require = createRequire(import.meta.url)
const Database = require('better-sqlite3') as new (file: string) => Sqlite
/* node-postgres ships no types either. */
const pg = require('pg') as {
  Client: new (config: Record<string, unknown>) => { connect(): Promise<void> }
}

const dialect = db.connection().dialect.name
/* The error a call fails with; a call that succeeds fails the test. */
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('the database call succeeded')
    },
    (error: unknown) => error
  )
const codeOf = (error: unknown) => databaseUnavailable(error)?.code ?? null

/* A connection refused, as a database call through Lucid raises it. */
async function refusedByDatabase() {
  db.manager.add('refused', {
    client: 'pg',
    connection: { host: '127.0.0.1', port: 1, user: 'postgres' },
  })
  try {
    return await failure(db.connection('refused').rawQuery('select 1'))
  } finally {
    await db.manager.close('refused', true)
  }
}

test.group('Database errors: answered 503 when they pass on their own', () => {
  test('a server that is not listening, reached through the database layer (pg and mysql2)', async ({
    assert,
  }) => {
    const refused = []
    for (const client of ['pg', 'mysql2'] as const) {
      db.manager.add(`refused_${client}`, {
        client,
        connection: { host: '127.0.0.1', port: 1, user: 'root', database: 'none' },
      } as any)
      try {
        refused.push(await failure(db.connection(`refused_${client}`).rawQuery('select 1')))
      } finally {
        await db.manager.close(`refused_${client}`, true)
      }
    }
    for (const error of refused) {
      assert.equal((error as { code?: string }).code, 'ECONNREFUSED')
      const answer = databaseUnavailable(error)!
      assert.instanceOf(answer, ApiError)
      assert.equal(answer.code, 'E_DATABASE_UNAVAILABLE')
      assert.equal(answer.status, 503)
      assert.equal(answer.retryAfter, 2)
      /* The driver's error stays attached, for the log line. */
      assert.strictEqual(answer.cause, error)
    }

    /* The same refusal from anything else (S3, an outside API, a raw driver) is not an outage. */
    const socket = connect({ host: '127.0.0.1', port: 1 })
    const notDatabase = await new Promise((resolve) => socket.on('error', resolve))
    assert.equal((notDatabase as { code?: string }).code, 'ECONNREFUSED')
    assert.isNull(codeOf(notDatabase))
    const rawDriver = await failure(
      new pg.Client({ host: '127.0.0.1', port: 1, user: 'postgres' }).connect()
    )
    assert.isNull(codeOf(rawDriver))
  })

  test('a connection reset under a statement: through knex, and on the driver directly (pipelined groups, COPY)', async ({
    assert,
  }) => {
    /*
    | A PostgreSQL server that accepts the connection (AuthenticationOk, ReadyForQuery) and
    | resets it at the first statement, as a crashed server or a dropped network path does.
    */
    const server = createServer((socket) => {
      let started = false
      socket.on('error', () => {})
      socket.on('data', () => {
        if (started) return void socket.resetAndDestroy()
        started = true
        socket.write(Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 0, 0x5a, 0, 0, 0, 5, 0x49]))
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    /* The app's own PostgreSQL connection settings (its pool hooks included), on that server. */
    const appPg = (databaseConfig.connections as Record<string, any>).pg
    const connection = { ...appPg.connection, host: '127.0.0.1', port, user: 'x', database: 'x' }
    db.manager.add('resetting', {
      ...appPg,
      version: '16',
      connection,
      pool: { ...appPg.pool, min: 0, max: 2 },
    })
    /* Without the app's pool hooks: only the wrapper around knex's query() can mark the error. */
    db.manager.add('resetting_plain', { client: 'pg', version: '16', connection })
    try {
      for (const name of ['resetting', 'resetting_plain']) {
        const throughKnex = await failure(db.connection(name).rawQuery('select 1'))
        assert.equal((throughKnex as { code?: string }).code, 'ECONNRESET')
        assert.equal(codeOf(throughKnex), 'E_DATABASE_UNAVAILABLE', name)
      }
      const resetting = db.connection('resetting')

      const knexClient = resetting.getWriteClient().client as any
      const driver = await knexClient.acquireConnection()
      const direct = await failure(driver.query('select 1'))
      await knexClient.releaseConnection(driver)
      assert.equal((direct as { code?: string }).code, 'ECONNRESET')
      assert.equal(codeOf(direct), 'E_DATABASE_UNAVAILABLE')
    } finally {
      await db.manager.close('resetting', true)
      await db.manager.close('resetting_plain', true)
      server.close()
    }
  })

  test("SQLite's write lock held by another connection, and a pool without a free connection", async ({
    assert,
  }) => {
    const dir = mkdtempSync(join(tmpdir(), 'tandem-unavailable-'))
    const file = join(dir, 'locked.sqlite3')
    const holder = new Database(file)
    const other = new Database(file)
    try {
      holder.exec('create table t (id integer primary key)')
      holder.exec('BEGIN IMMEDIATE')
      other.pragma('busy_timeout = 0')
      let busy: unknown = null
      try {
        other.exec('insert into t (id) values (1)')
      } catch (error) {
        busy = error
      }
      assert.equal((busy as { code?: string })?.code, 'SQLITE_BUSY')
      assert.equal(codeOf(busy), 'E_DATABASE_BUSY')
      assert.equal(databaseUnavailable(busy)!.retryAfter, 1)
      holder.exec('ROLLBACK')

      db.manager.add('tiny_pool', {
        client: 'better-sqlite3',
        connection: { filename: file },
        useNullAsDefault: true,
        pool: { min: 0, max: 1 },
        acquireConnectionTimeout: 100,
      } as any)
      const tiny = db.connection('tiny_pool')
      const trx = await tiny.transaction()
      const exhausted = await failure(tiny.rawQuery('select 1'))
      await trx.rollback()
      assert.equal((exhausted as Error).name, 'KnexTimeoutError')
      assert.equal(codeOf(exhausted), 'E_DATABASE_BUSY')
    } finally {
      await db.manager.close('tiny_pool', true)
      holder.close()
      other.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test('a session the server ends: in a statement, in its transaction, while it runs', async ({
    assert,
  }) => {
    const postgres = dialect === 'postgres'
    const sessionId = postgres ? 'select pg_backend_pid() as id' : 'select connection_id() as id'
    const rows = (result: any) => (postgres ? result.rows : result[0])
    /* Ends a session and waits until the server has let it go. */
    const end = async (id: number) => {
      await db.rawQuery(postgres ? 'select pg_terminate_backend(?)' : 'kill ?', [id])
      const alive = postgres
        ? 'select count(*) as n from pg_stat_activity where pid = ?'
        : 'select count(*) as n from information_schema.processlist where id = ?'
      for (let tries = 0; tries < 250; tries++) {
        if (Number(rows(await db.rawQuery(alive, [id]))[0].n) === 0) return
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      throw new Error(`session ${id} is still there`)
    }

    let inStatement: unknown = null
    const transaction = await failure(
      db.transaction(async (trx) => {
        await end(rows(await trx.rawQuery(sessionId))[0].id)
        inStatement = await failure(trx.rawQuery('select 1'))
        throw inStatement
      })
    )
    assert.equal(codeOf(inStatement), 'E_DATABASE_UNAVAILABLE', String(inStatement))
    /* And what db.transaction(callback) rejects with (the callback's error, the ROLLBACK failing too). */
    assert.equal(codeOf(transaction), 'E_DATABASE_UNAVAILABLE', String(transaction))

    /* A statement running on its own when its session is ended (MariaDB: errno 1927, no code). */
    const primary = db.manager.get(db.primaryConnectionName)!.config
    db.manager.add('one_session', { ...primary, pool: { min: 0, max: 1 } } as any)
    try {
      const one = db.connection('one_session')
      const [{ id }] = rows(await one.rawQuery(sessionId))
      const sleeping = failure(one.rawQuery(postgres ? 'select pg_sleep(5)' : 'select sleep(5)'))
      await new Promise((resolve) => setTimeout(resolve, 100))
      await end(id)
      const running = await sleeping
      assert.equal(codeOf(running), 'E_DATABASE_UNAVAILABLE', String(running))
    } finally {
      await db.manager.close('one_session', true)
    }
    /* The pool hands out a live connection next. */
    assert.lengthOf(rows(await db.rawQuery('select 1 as one')), 1)
  }).skip(isSqliteConnection(), 'a server database ends sessions (DB_CONNECTION=pg or mysql)')

  test('a server that accepts connections but never answers: 503 once the connect timeout runs out', async ({
    assert,
  }) => {
    /*
    | Before DB_CONNECT_TIMEOUT_MS, node-postgres waited for ever: each request was held for
    | knex's 30 s creation timeout, then answered as a full pool (E_DATABASE_BUSY).
    */
    const connections = (databaseConfig as any).connections
    assert.equal(connections.pg.connection.connectionTimeoutMillis, 5000)
    assert.equal(connections.mysql.connection.connectTimeout, 5000)

    const sockets: Socket[] = []
    const silent = createServer((socket) => sockets.push(socket))
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    const port = (silent.address() as AddressInfo).port
    try {
      for (const [name, timeout] of [
        ['pg', 'connectionTimeoutMillis'],
        ['mysql', 'connectTimeout'],
      ] as const) {
        const base = connections[name]
        /* The configured timeout, shortened for the test. */
        db.manager.add(`silent_${name}`, {
          ...base,
          connection: { ...base.connection, host: '127.0.0.1', port, [timeout]: 1000 },
        })
        try {
          const started = Date.now()
          const error = await failure(db.connection(`silent_${name}`).rawQuery('select 1'))
          assert.equal(codeOf(error), 'E_DATABASE_UNAVAILABLE', `${name}: ${error}`)
          assert.isBelow(Date.now() - started, 5000, `${name}: not knex's 30 s`)
        } finally {
          await db.manager.close(`silent_${name}`, true)
        }
      }
      assert.isAtLeast(sockets.length, 2, 'both drivers reached the silent server')
    } finally {
      sockets.forEach((socket) => socket.destroy())
      await new Promise((resolve) => silent.close(resolve))
    }
    /* The same message from anything but a database call is not an outage. */
    assert.isNull(codeOf(new Error('timeout expired')))
  })

  test('a server that only reads (a replica after a failover): writes answered 503', async ({
    assert,
  }) => {
    const primary = db.manager.get(db.primaryConnectionName)!.config as any
    await db.rawQuery('drop table if exists read_only_probe')
    await db.rawQuery('create table read_only_probe (id integer primary key)')
    try {
      if (dialect === 'postgres') {
        /* A hot standby refuses writes with 25006; a session that only reads does the same. */
        db.manager.add('read_only', {
          ...primary,
          connection: { ...primary.connection, options: '-c default_transaction_read_only=on' },
        })
        const refused = await failure(
          db.connection('read_only').table('read_only_probe').insert({ id: 1 })
        )
        assert.equal((refused as any).code, '25006')
        assert.equal(codeOf(refused), 'E_DATABASE_UNAVAILABLE', String(refused))
      } else {
        /*
        | MariaDB/MySQL: the server's read_only applies to users without READ_ONLY ADMIN (the
        | app's user in production; root here keeps writing, so the other tests are not
        | affected while it is on).
        */
        const user = 'tandem_read_only'
        await db.rawQuery(`create user if not exists '${user}'@'%' identified by 'probe'`)
        await db.rawQuery(`grant select, insert on read_only_probe to '${user}'@'%'`)
        db.manager.add('read_only', {
          ...primary,
          connection: { ...primary.connection, user, password: 'probe' },
        })
        await db.rawQuery('set global read_only = 1')
        let refused: unknown
        try {
          refused = await failure(
            db.connection('read_only').table('read_only_probe').insert({ id: 1 })
          )
        } finally {
          await db.rawQuery('set global read_only = 0')
          await db.rawQuery(`drop user if exists '${user}'@'%'`)
        }
        assert.equal((refused as any).code, 'ER_OPTION_PREVENTS_STATEMENT')
        assert.match(String(refused), /--read-only option/)
        assert.equal(codeOf(refused), 'E_DATABASE_UNAVAILABLE', String(refused))
      }
      assert.lengthOf(await db.from('read_only_probe'), 0, 'nothing written')
    } finally {
      await db.manager.close('read_only', true).catch(() => {})
      await db.rawQuery('drop table read_only_probe')
    }
    /* The code's other options are a configuration matter, not an outage. */
    const option = Object.assign(
      new Error(
        'The MariaDB server is running with the --secure-file-priv option so it cannot execute this statement'
      ),
      { code: 'ER_OPTION_PREVENTS_STATEMENT', errno: 1290 }
    )
    assert.isNull(codeOf(option))
  }).skip(isSqliteConnection(), 'a server database can be read-only (DB_CONNECTION=pg or mysql)')

  test('errors of the request itself stay what they were', async ({ assert }) => {
    const memory = new Database(':memory:')
    const thrown: unknown[] = []
    try {
      memory.exec('create table t (id integer primary key)')
      memory.exec('insert into t (id) values (1)')
      for (const sql of ['insert into t (id) values (1)', 'select nothing from nowhere']) {
        try {
          memory.exec(sql)
        } catch (error) {
          thrown.push(error)
        }
      }
    } finally {
      memory.close()
    }
    assert.lengthOf(thrown, 2)
    thrown.push(
      new ApiError('E_DATABASE_BUSY', 'already an answer', { status: 503 }),
      /* The body parser's 400 for a body that ends like a driver's message. */
      Object.assign(new SyntaxError('Unexpected token, "[x is not queryable" is not valid JSON'), {
        status: 400,
      }),
      new Error('Connection terminated by the user'),
      Object.assign(new Error('access denied'), { code: 'ER_ACCESS_DENIED_ERROR', fatal: true }),
      Object.assign(new Error('Connection terminated'), { code: '23505' }),
      new Error('something else'),
      null,
      'Connection terminated'
    )
    for (const error of thrown) assert.isNull(codeOf(error), String(error))

    /* MariaDB's "Connection was killed" as mysql2 gives it (no code, not fatal): constructed,
       since a KILL here gives PROTOCOL_CONNECTION_LOST instead (tested above). */
    const killed = Object.assign(new Error('Connection was killed'), { errno: 1927 })
    assert.equal(codeOf(killed), 'E_DATABASE_UNAVAILABLE')
  })

  test('sockets: acknowledgements and refused handshakes carry the same code and retryAfter', async ({
    assert,
  }) => {
    const refused = await refusedByDatabase()
    const outage = {
      code: 'E_DATABASE_UNAVAILABLE',
      message: 'The database cannot be reached right now. Try again in a moment.',
      retryAfter: 2,
    }
    assert.deepEqual(toSocketError(refused), outage)
    /* A handshake whose token check met the outage is not told to sign in again. */
    assert.deepEqual((handshakeRefusal(refused) as { data?: unknown }).data, outage)
    assert.equal(
      (handshakeRefusal(new Error('bad token')) as { data?: { code: string } }).data?.code,
      'E_UNAUTHORIZED_ACCESS'
    )
  })
})

/*
| A stand-in between the app and its database server: passes connections through, drops them
| as they arrive (a server that is down), or holds them without a word (a hung server).
*/
async function standIn(target: { host: string; port: number }) {
  const state = { mode: 'drop' as 'drop' | 'silent' | 'pass', accepted: 0 }
  const sockets = new Set<Socket>()
  const server = createServer((socket) => {
    state.accepted++
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => {})
    if (state.mode === 'drop') return socket.destroy()
    if (state.mode === 'silent') return
    const upstream = connect(target)
    upstream.on('error', () => socket.destroy())
    socket.on('close', () => upstream.destroy())
    socket.pipe(upstream).pipe(socket)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    state,
    port: (server.address() as AddressInfo).port,
    /* The connections open now are cut (the server restarted). */
    cut: () => sockets.forEach((socket) => socket.destroy()),
    close: async () => {
      sockets.forEach((socket) => socket.destroy())
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

test.group('Database errors: a server that is gone is not asked again by every request', () => {
  test('requests waiting for a connection are answered as soon as one attempt fails', async ({
    assert,
  }) => {
    /*
    | A silent server: each attempt takes the connect timeout, the pool makes two at a time, and
    | the eight requests queued behind them waited for attempts of their own (up to knex's 60 s).
    */
    const connections = (databaseConfig as any).connections
    const silent = await standIn({ host: '127.0.0.1', port: 1 })
    silent.state.mode = 'silent'
    try {
      for (const [name, timeout] of [
        ['pg', 'connectionTimeoutMillis'],
        ['mysql', 'connectTimeout'],
      ] as const) {
        silent.state.accepted = 0
        const base = connections[name]
        db.manager.add(`queued_${name}`, {
          ...base,
          connection: { ...base.connection, host: '127.0.0.1', port: silent.port, [timeout]: 1000 },
          pool: { min: 0, max: 2 },
        })
        try {
          const connection = db.connection(`queued_${name}`)
          const errors = await Promise.all(
            Array.from({ length: 10 }, () => failure(connection.rawQuery('select 1')))
          )
          for (const error of errors)
            assert.equal(codeOf(error), 'E_DATABASE_UNAVAILABLE', `${name}: ${error}`)
          /* Long enough for another round of attempts, had any request been left in the pool. */
          await new Promise((resolve) => setTimeout(resolve, 1500))
          assert.equal(silent.state.accepted, 2, `${name}: the pool's two attempts, no more`)
          assert.lengthOf(
            errors.filter((error) => error instanceof DatabaseCircuitOpen),
            9,
            `${name}: all but the one whose attempt failed first`
          )
        } finally {
          await db.manager.close(`queued_${name}`, true)
        }
      }
    } finally {
      await silent.close()
    }
  })

  test('a server with no connection left for this user is asked again by the next request', async ({
    assert,
  }) => {
    /* 503 (too many connections) but no breaker: the server is up, other connections work. */
    const primary = db.manager.get(db.primaryConnectionName)!.config as any
    const user = 'tandem_no_connections'
    const postgres = dialect === 'postgres'
    if (postgres) {
      await db.rawQuery(`drop role if exists ${user}`)
      await db.rawQuery(`create role ${user} login password 'probe' connection limit 0`)
    } else {
      await db.rawQuery(`drop user if exists '${user}'@'%'`)
      await db.rawQuery(
        `create user '${user}'@'%' identified by 'probe' with max_user_connections 1`
      )
      await db.rawQuery(`grant select on \`${primary.connection.database}\`.* to '${user}'@'%'`)
    }
    const as = (name: string) =>
      db.manager.add(name, {
        ...primary,
        connection: { ...primary.connection, user, password: 'probe' },
        pool: { min: 0, max: 1 },
      })
    as('full')
    as('full_holder')
    try {
      /* MariaDB: this user's one connection is taken. */
      if (!postgres) await db.connection('full_holder').rawQuery('select 1')
      for (let attempt = 0; attempt < 2; attempt++) {
        const error = await failure(db.connection('full').rawQuery('select 1'))
        assert.notInstanceOf(error, DatabaseCircuitOpen, `attempt ${attempt + 1} tried`)
        assert.include(
          postgres ? ['53300'] : ['ER_TOO_MANY_USER_CONNECTIONS', 'ER_USER_LIMIT_REACHED'],
          (error as any).code
        )
        assert.equal(codeOf(error), 'E_DATABASE_UNAVAILABLE', String(error))
      }
    } finally {
      await db.manager.close('full', true)
      await db.manager.close('full_holder', true)
      await db.rawQuery(postgres ? `drop role ${user}` : `drop user '${user}'@'%'`)
    }
  }).skip(isSqliteConnection(), 'a server database limits connections (DB_CONNECTION=pg or mysql)')

  test('one attempt every two seconds while it is down, and back as soon as it is up', async ({
    assert,
  }) => {
    const primary = db.manager.get(db.primaryConnectionName)!.config as any
    const server = await standIn({ host: primary.connection.host, port: primary.connection.port })
    db.manager.add('comes_back', {
      ...primary,
      connection: { ...primary.connection, host: '127.0.0.1', port: server.port },
    })
    try {
      const connection = db.connection('comes_back')
      const first = await failure(connection.rawQuery('select 1'))
      assert.equal(codeOf(first), 'E_DATABASE_UNAVAILABLE', String(first))
      assert.notInstanceOf(first, DatabaseCircuitOpen, 'the first request tried')

      const burst = await Promise.all(
        Array.from({ length: 20 }, () => failure(connection.rawQuery('select 1')))
      )
      for (const error of burst) {
        assert.instanceOf(error, DatabaseCircuitOpen)
        assert.equal(codeOf(error), 'E_DATABASE_UNAVAILABLE')
        assert.equal((error as Error).message, (first as Error).message, "the attempt's message")
        assert.equal((error as Error).cause, first, 'the attempt as its cause')
      }
      assert.equal(server.state.accepted, 1, 'one connection attempt for 21 requests')

      /* Up again: requests are still answered at once until the two seconds are over. */
      server.state.mode = 'pass'
      const retryAt = (burst[0] as DatabaseCircuitOpen).retryAt
      assert.isAbove(retryAt, Date.now())
      assert.instanceOf(await failure(connection.rawQuery('select 1')), DatabaseCircuitOpen)
      await new Promise((resolve) => setTimeout(resolve, retryAt - Date.now() + 20))

      /* The one request that tries; those arriving while it does are still answered at once. */
      const trying = connection.rawQuery('select 1 as n').then((result) => result)
      assert.instanceOf(await failure(connection.rawQuery('select 1')), DatabaseCircuitOpen)
      await trying
      const rows = await Promise.all(
        Array.from({ length: 5 }, (_, index) => connection.rawQuery(`select ${index} as n`))
      )
      assert.lengthOf(rows, 5)
      assert.isAtLeast(server.state.accepted, 2)
      /* Down again (its connections cut): the same client's breaker opens again. */
      server.state.mode = 'drop'
      server.cut()
      await new Promise((resolve) => setTimeout(resolve, 100))
      const errors: unknown[] = []
      while (errors.length < 8 && !(errors.at(-1) instanceof DatabaseCircuitOpen))
        errors.push(await failure(connection.rawQuery('select 1')))
      assert.notInstanceOf(errors[0], DatabaseCircuitOpen, 'the first request after the cut tried')
      assert.instanceOf(errors.at(-1), DatabaseCircuitOpen, errors.map(String).join('; '))
      for (const error of errors)
        assert.equal(codeOf(error), 'E_DATABASE_UNAVAILABLE', String(error))
    } finally {
      await db.manager.close('comes_back', true)
      await server.close()
    }
  }).skip(
    isSqliteConnection(),
    'the stand-in passes connections to a database server (DB_CONNECTION=pg or mysql)'
  )
})

test.group('Database errors: the HTTP answer in production', () => {
  /* The handler as in production: 5xx messages of other errors are hidden there. */
  class ProductionHandler extends HttpExceptionHandler {
    protected debug = false
  }
  const logged: Array<{ err: { stack: string; code: string } }> = []
  async function answer(error: unknown) {
    const req = new IncomingMessage(new Socket())
    req.url = '/api/v1/credits/balance'
    req.method = 'GET'
    req.headers = { accept: 'application/json' }
    const ctx = await testUtils.createHttpContext({ req, res: new ServerResponse(req) })
    const lines = new PassThrough()
    lines.on('data', (line: Buffer) => logged.push(JSON.parse(line.toString())))
    ctx.logger = new Logger({ enabled: true, level: 'info', destination: lines }) as any
    const handler = new ProductionHandler()
    await handler.report(error, ctx)
    await handler.handle(error, ctx)
    return {
      status: ctx.response.getStatus(),
      retryAfter: ctx.response.getHeader('retry-after'),
      errors: (ctx.response.getBody() as { errors: Record<string, unknown>[] }).errors,
    }
  }

  test('503 with Retry-After and a message for the client; other errors stay hidden', async ({
    assert,
  }) => {
    const refused = await refusedByDatabase()
    assert.deepEqual(await answer(refused), {
      status: 503,
      retryAfter: '2',
      errors: [
        {
          code: 'E_DATABASE_UNAVAILABLE',
          message: 'The database cannot be reached right now. Try again in a moment.',
          retryAfter: 2,
        },
      ],
    })
    /* The log line keeps the driver's error, so operators see what happened. */
    assert.match(logged.at(-1)!.err.stack, /ECONNREFUSED 127\.0\.0\.1:1/)
    assert.equal(logged.at(-1)!.err.code, 'E_DATABASE_UNAVAILABLE')
    const bug = await answer(new Error('secret internals at /srv/app'))
    assert.equal(bug.status, 500)
    assert.isUndefined(bug.retryAfter)
    assert.deepEqual(bug.errors, [
      { code: 'E_INTERNAL_SERVER_ERROR', message: 'Internal server error' },
    ])
  })
})
