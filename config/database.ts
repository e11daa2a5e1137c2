import { mkdirSync } from 'node:fs'
import { dirname, isAbsolute, join } from 'node:path'
import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig } from '@adonisjs/lucid'
import modules from '#config/modules'
import { cachePreparedStatements } from '#app/helpers/sqlite_statements'
import { namePreparedStatements } from '#app/helpers/pg_statements'
import { markDatabaseError } from '#app/exceptions/database_errors'
import { knexLog } from '#app/helpers/failure_log'
import logger from '@adonisjs/core/services/logger'

/*
| One Lucid database: a SQLite file locally and on desktops, PostgreSQL or MySQL/MariaDB in
| production. Migrations live with the module that owns the tables, in dependency order.
*/
/* Models declare their columns themselves (see docs/adr/0002), so no schema classes are generated. */
const schemaGeneration = { enabled: false }

/*
| knex options Lucid passes on: bound values (hashes, emails) stay out of error messages and
| logs; a failed connection attempt is logged once, then once a minute (app/helpers/failure_log.ts).
*/
const knexOptions = (connection: string) =>
  ({ compileSqlOnError: false, log: knexLog(connection, () => logger) }) as {}

/* Demo data (development only), per module like the migrations. */
const seeders = {
  paths: modules.enabled.map((name) => `modules/${name}/database/seeders`),
}

const migrations = {
  naturalSort: true,
  paths: [
    'database/migrations',
    ...modules.enabled.map((name) => `modules/${name}/database/migrations`),
  ],
}

function sqliteFile() {
  const configured = env.get('SQLITE_PATH')
  const file = configured
    ? isAbsolute(configured)
      ? configured
      : join(process.cwd(), configured)
    : app.makePath('storage', app.inTest ? 'test.sqlite3' : 'tandem.sqlite3')
  mkdirSync(dirname(file), { recursive: true })
  return file
}

const server = {
  host: env.get('DB_HOST'),
  user: env.get('DB_USER'),
  password: env.get('DB_PASSWORD'),
  database: env.get('DB_DATABASE'),
}
const pool = { min: 0, max: env.get('DB_POOL_MAX', 10) }
/*
| A server that accepts the TCP connection but never answers (hung, or a network that drops
| packets) would hold each request for knex's 30 s creation timeout and then read as a full pool
| ("busy"); node-postgres has no timeout of its own. Past this, a new connection fails: 503
| E_DATABASE_UNAVAILABLE (ADR 0015).
*/
const connectTimeoutMs = env.get('DB_CONNECT_TIMEOUT_MS', 5000)
const synchronous = env.get('SQLITE_SYNCHRONOUS', 'normal') === 'full' ? 'FULL' : 'NORMAL'

const dbConfig = defineConfig({
  connection: env.get('DB_CONNECTION', 'sqlite'),
  connections: {
    sqlite: {
      client: 'better-sqlite3',
      connection: { filename: sqliteFile() },
      useNullAsDefault: true,
      migrations,
      seeders,
      schemaGeneration,
      ...knexOptions('sqlite'),
      pool: {
        afterCreate: (connection: any, done: (error: Error | null, connection: any) => void) => {
          connection.pragma('journal_mode = WAL')
          connection.pragma('foreign_keys = ON')
          connection.pragma('busy_timeout = 5000')
          /*
          | NORMAL (WAL): a commit survives a crash of the app, not a power cut or an OS crash;
          | FULL also syncs the WAL at every commit (docs/operations.md, "Durability").
          */
          connection.pragma(`synchronous = ${synchronous}`)
          /*
          | The WAL is copied back into the database by the COMMIT that takes it past this many
          | pages (SQLite's default is 1,000, 4 MB). At 4,000 (16 MB) pages written again and
          | again (index leaves, the tables' last pages) are copied back once per 16 MB instead
          | of once per 4 MB: COMMIT time fell by about a third for telemetry-sized transactions
          | (ADR 0012). The WAL file keeps its largest size, here 16 MB.
          */
          connection.pragma('wal_autocheckpoint = 4000')
          /*
          | From here on, a database locked by another connection (an ace command, a second
          | process) is waited for on a timer, not by SQLite sleeping the event loop (the helper).
          */
          connection.pragma('busy_timeout = 0')
          /* Statements reused by text, parameters the planner cannot peek at (see the helper). */
          cachePreparedStatements(connection, { waitWhenBusy: 5000 })
          done(null, connection)
        },
      },
    },
    pg: {
      client: 'pg',
      connection: {
        ...server,
        port: env.get('DB_PORT', 5432),
        ssl: env.get('DB_SSL') ? { rejectUnauthorized: true } : undefined,
        /*
        | Statements go out without waiting for the answer to the one before (node-postgres'
        | pipeline mode): a ledger group sends its first statements behind its BEGIN and its
        | COMMIT behind its last statement (ADR 0013). Awaited one by one, nothing changes.
        */
        pipeline: true,
        connectionTimeoutMillis: connectTimeoutMs,
      } as any,
      pool: {
        ...pool,
        /* The statements marked `prepared()` are parsed once per connection (see the helper). */
        afterCreate: (connection: any, done: (error: Error | null, connection: any) => void) => {
          namePreparedStatements(connection)
          /* A lost connection's network error counts as the database's (ADR 0015). */
          connection.on('error', markDatabaseError)
          done(null, connection)
        },
      },
      migrations,
      seeders,
      schemaGeneration,
      ...knexOptions('pg'),
    },
    mysql: {
      client: 'mysql2',
      connection: {
        ...server,
        port: env.get('DB_PORT', 3306),
        charset: 'utf8mb4',
        timezone: 'Z',
        dateStrings: false,
        ssl: env.get('DB_SSL') ? { rejectUnauthorized: true } : undefined,
        /* mysql2's option (10 s by default); Lucid's types do not list it. */
        ...({ connectTimeout: connectTimeoutMs } as {}),
      },
      pool,
      migrations,
      seeders,
      schemaGeneration,
      ...knexOptions('mysql'),
    },
  },
})

export default dbConfig
