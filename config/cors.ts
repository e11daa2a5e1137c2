import { defineConfig } from '@adonisjs/cors'

/*
| The public API is called by desktop clients and scripts with bearer tokens, never with cookies,
| so any origin may call /api; everything else is same-origin only.
*/
const corsConfig = defineConfig({
  enabled: true,
  origin: (_origin, ctx) => ctx.request.url().startsWith('/api/'),
  methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
  headers: true,
  exposeHeaders: ['retry-after', 'x-request-id', 'x-ratelimit-limit', 'x-ratelimit-remaining'],
  credentials: false,
  maxAge: 90,
})

export default corsConfig
