import env from '#start/env'
import { servedOverHttps } from '#config/app'
import { defineConfig, stores } from '@adonisjs/session'

/*
| Cookie sessions locally (no server state), Redis in production so every replica sees the same
| session. The id is rotated on login by the auth guard and on logout by the accounts module.
*/
const sessionConfig = defineConfig({
  enabled: true,
  cookieName: 'tandem_session',
  clearWithBrowser: false,
  age: '2h',
  cookie: {
    path: '/',
    httpOnly: true,
    secure: servedOverHttps,
    sameSite: 'lax',
  },
  store: env.get('SESSION_DRIVER'),
  stores: {
    cookie: stores.cookie(),
    redis: stores.redis({ connection: 'main' }),
    database: stores.database({ tableName: 'sessions' }),
  },
})

export default sessionConfig
