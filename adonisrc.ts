import { defineConfig } from '@adonisjs/core/app'
import { indexPages } from '@adonisjs/inertia'

export default defineConfig({
  experimental: {},

  /* The kernel's own commands (modules:list, make:module, env:init, env:check). */
  directories: { commands: 'app/commands' },

  /*
  | Package commands. Each feature module's commands (modules/<m>/commands) are discovered by
  | the modules loader, which skips disabled modules.
  */
  commands: [
    () => import('@adonisjs/core/commands'),
    () => import('@adonisjs/lucid/commands'),
    () => import('@adonisjs/session/commands'),
    () => import('@adonisjs/mail/commands'),
    () => import('#app/modules/commands_loader'),
  ],

  providers: [
    () => import('@adonisjs/core/providers/app_provider'),
    () => import('@adonisjs/core/providers/hash_provider'),
    { file: () => import('@adonisjs/core/providers/repl_provider'), environment: ['repl', 'test'] },
    () => import('@adonisjs/core/providers/vinejs_provider'),
    () => import('@adonisjs/core/providers/edge_provider'),
    () => import('@adonisjs/lucid/database_provider'),
    () => import('@adonisjs/redis/redis_provider'),
    () => import('@adonisjs/session/session_provider'),
    () => import('@adonisjs/vite/vite_provider'),
    () => import('@adonisjs/shield/shield_provider'),
    () => import('@adonisjs/static/static_provider'),
    () => import('@adonisjs/cors/cors_provider'),
    () => import('@adonisjs/inertia/inertia_provider'),
    () => import('@adonisjs/auth/auth_provider'),
    () => import('@adonisjs/limiter/limiter_provider'),
    () => import('@adonisjs/mail/mail_provider'),
    () => import('@adonisjs/drive/drive_provider'),
    () => import('#app/providers/app_provider'),
    { file: () => import('#app/providers/realtime_provider'), environment: ['web', 'test'] },
    { file: () => import('#app/providers/http_shutdown_provider'), environment: ['web'] },
    () => import('#app/providers/modules_provider'),
    () => import('#app/providers/queue_provider'),
  ],

  preloads: [() => import('#start/routes'), () => import('#start/kernel')],

  tests: {
    suites: [
      {
        name: 'unit',
        files: ['tests/unit/**/*.spec.ts', 'modules/*/tests/unit/**/*.spec.ts'],
        timeout: 10_000,
      },
      {
        name: 'functional',
        files: ['tests/functional/**/*.spec.ts', 'modules/*/tests/functional/**/*.spec.ts'],
        timeout: 30_000,
      },
      {
        name: 'browser',
        files: ['tests/browser/**/*.spec.ts', 'modules/*/tests/browser/**/*.spec.ts'],
        timeout: 120_000,
      },
    ],
    forceExit: true,
  },

  metaFiles: [
    { pattern: 'resources/views/**/*.edge', reloadServer: false },
    { pattern: 'public/**', reloadServer: false },
  ],

  hooks: {
    /* Types `inertia.render()` against the pages in resources/pages (written to .adonisjs/). */
    init: [indexPages({ framework: 'vue3', source: 'resources/pages' })],
    buildStarting: [() => import('@adonisjs/vite/build_hook')],
  },
})
