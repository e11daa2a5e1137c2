/*
| Every environment variable Tandem reads, validated at boot. A missing or malformed value stops
| the process with the variable's name, so a bad deploy fails fast instead of half-working.
| Profiles and production safety checks live in `node ace env:init` / `node ace env:check`.
*/
import { Env } from '@adonisjs/core/env'

const usesServerDb = () => ['pg', 'mysql'].includes(process.env.DB_CONNECTION ?? 'sqlite')
const usesSmtp = () => process.env.MAIL_MAILER === 'smtp'

export default await Env.create(new URL('../', import.meta.url), {
  NODE_ENV: Env.schema.enum(['development', 'production', 'test'] as const),
  TZ: Env.schema.string.optional(),
  PORT: Env.schema.number(),
  HOST: Env.schema.string({ format: 'host' }),
  APP_KEY: Env.schema.secret(),
  APP_NAME: Env.schema.string.optional(),
  APP_URL: Env.schema.string({ format: 'url', tld: false }),
  LOG_LEVEL: Env.schema.enum([
    'fatal',
    'error',
    'warn',
    'info',
    'debug',
    'trace',
    'silent',
  ] as const),
  TANDEM_PROFILE: Env.schema.enum.optional(['local', 'production', 'desktop'] as const),

  /* Which feature modules are on (comma separated); unset means every module. */
  TANDEM_MODULES: Env.schema.string.optional(),
  TANDEM_MODULES_DISABLED: Env.schema.string.optional(),

  /* Database: SQLite by default, PostgreSQL or MySQL/MariaDB in production. */
  DB_CONNECTION: Env.schema.enum.optional(['sqlite', 'pg', 'mysql'] as const),
  SQLITE_PATH: Env.schema.string.optional(),
  /* normal (default): a commit survives an app crash; full: also a power cut (an fsync per commit). */
  SQLITE_SYNCHRONOUS: Env.schema.enum.optional(['normal', 'full'] as const),
  DB_HOST: Env.schema.string.optionalWhen(() => !usesServerDb(), { format: 'host' }),
  DB_PORT: Env.schema.number.optional(),
  DB_USER: Env.schema.string.optionalWhen(() => !usesServerDb()),
  DB_PASSWORD: Env.schema.string.optional(),
  DB_DATABASE: Env.schema.string.optionalWhen(() => !usesServerDb()),
  DB_SSL: Env.schema.boolean.optional(),
  DB_POOL_MAX: Env.schema.number.optional(),
  /* How long a new connection to PostgreSQL or MySQL may take before it counts as an outage. */
  DB_CONNECT_TIMEOUT_MS: Env.schema.number.optional(),

  /* Redis is optional: without REDIS_HOST, cache, rate limits, sessions and realtime stay in process. */
  REDIS_HOST: Env.schema.string.optional(),
  REDIS_PORT: Env.schema.number.optional(),
  REDIS_PASSWORD: Env.schema.string.optional(),
  REDIS_DB: Env.schema.number.optional(),
  REDIS_KEY_PREFIX: Env.schema.string.optional(),

  SESSION_DRIVER: Env.schema.enum(['cookie', 'memory', 'redis', 'database'] as const),
  WEB_REPLICAS: Env.schema.number.optional(),
  /* Proxies whose X-Forwarded-For is believed: proxy-addr names (loopback, uniquelocal…) or CIDRs. */
  TRUSTED_PROXIES: Env.schema.string.optional(),

  /*
  | Jobs: BullMQ when Redis is configured, the database otherwise. QUEUE_IN_PROCESS runs a
  | worker and the scheduler inside the web process (default without Redis).
  */
  QUEUE_DRIVER: Env.schema.enum.optional(['bullmq', 'database'] as const),
  QUEUE_IN_PROCESS: Env.schema.boolean.optional(),
  QUEUE_CONCURRENCY: Env.schema.number.optional(),
  QUEUE_PREFIX: Env.schema.string.optional(),
  QUEUE_POLL_MS: Env.schema.number.optional(),
  QUEUE_LOCK_MS: Env.schema.number.optional(),
  QUEUE_STALLED_INTERVAL_MS: Env.schema.number.optional(),
  QUEUE_SHUTDOWN_GRACE_MS: Env.schema.number.optional(),
  QUEUE_CANCEL_POLL_MS: Env.schema.number.optional(),

  /* Idempotency-Key on API writes: how long responses are kept, when a stuck claim is free. */
  IDEMPOTENCY_TTL_HOURS: Env.schema.number.optional(),
  IDEMPOTENCY_STALE_MS: Env.schema.number.optional(),
  QUEUE_KEEP_COMPLETED_HOURS: Env.schema.number.optional(),
  QUEUE_KEEP_FAILED_DAYS: Env.schema.number.optional(),
  /* More job folders (comma separated), for plugins and test fixtures. */
  TANDEM_EXTRA_JOBS: Env.schema.string.optional(),
  TASKS_RETENTION_DAYS: Env.schema.number.optional(),

  /* Telemetry: batches per minute per installation and per token; days raw events are kept. */
  TELEMETRY_RATE_PER_INSTALLATION: Env.schema.number.optional(),
  TELEMETRY_RATE_PER_TOKEN: Env.schema.number.optional(),
  TELEMETRY_RETENTION_DAYS: Env.schema.number.optional(),
  TELEMETRY_FEED_INTERVAL_MS: Env.schema.number.optional(),

  /*
  | Billing: Stripe's secret key and webhook signing secret. STRIPE_API_BASE points the SDK at
  | another host (the local stand-in: http://127.0.0.1:12111); STRIPE_STANDIN=true makes the web
  | process start that stand-in (local mode). Price ids override config/billing.ts.
  */
  STRIPE_SECRET_KEY: Env.schema.string.optional(),
  STRIPE_WEBHOOK_SECRET: Env.schema.string.optional(),
  STRIPE_API_BASE: Env.schema.string.optional({ format: 'url', tld: false }),
  STRIPE_STANDIN: Env.schema.boolean.optional(),
  STRIPE_STANDIN_PORT: Env.schema.number.optional(),
  STRIPE_PRICE_STARTER_MONTHLY: Env.schema.string.optional(),
  STRIPE_PRICE_STARTER_YEARLY: Env.schema.string.optional(),
  STRIPE_PRICE_PRO_MONTHLY: Env.schema.string.optional(),
  STRIPE_PRICE_PRO_YEARLY: Env.schema.string.optional(),
  STRIPE_PRICE_LEGACY_MONTHLY: Env.schema.string.optional(),
  STRIPE_PRICE_LEGACY_YEARLY: Env.schema.string.optional(),
  STRIPE_PRICE_PACK_SMALL: Env.schema.string.optional(),
  STRIPE_PRICE_PACK_LARGE: Env.schema.string.optional(),
  /* Days a subscription whose renewal failed (past_due) keeps its plan. */
  BILLING_PAST_DUE_GRACE_DAYS: Env.schema.number.optional(),

  /* Files: the disk (fs or s3), its settings, and the limits of the files module. */
  DRIVE_DISK: Env.schema.enum.optional(['fs', 's3'] as const),
  FILES_ROOT: Env.schema.string.optional(),
  S3_ACCESS_KEY_ID: Env.schema.string.optional(),
  S3_SECRET_ACCESS_KEY: Env.schema.string.optional(),
  S3_REGION: Env.schema.string.optional(),
  S3_BUCKET: Env.schema.string.optional(),
  S3_ENDPOINT: Env.schema.string.optional({ format: 'url', tld: false }),
  S3_FORCE_PATH_STYLE: Env.schema.boolean.optional(),
  FILES_MAX_BYTES: Env.schema.number.optional(),
  FILES_QUOTA_BYTES: Env.schema.number.optional(),
  FILES_URL_TTL_SECONDS: Env.schema.number.optional(),
  FILES_PURGE_AFTER_DAYS: Env.schema.number.optional(),

  /* Realtime: seconds a dropped connection may come back with what it missed (0: off). */
  REALTIME_RECOVERY_SECONDS: Env.schema.number.optional(),

  /* Rooms: chat limits, and the STUN/TURN servers handed to video calls (coturn REST secret). */
  ROOMS_MESSAGE_MAX_LENGTH: Env.schema.number.optional(),
  ROOMS_MESSAGES_PER_10S: Env.schema.number.optional(),
  ROOMS_STUN_URLS: Env.schema.string.optional(),
  ROOMS_TURN_URLS: Env.schema.string.optional(),
  ROOMS_TURN_SECRET: Env.schema.string.optional(),
  ROOMS_TURN_TTL_SECONDS: Env.schema.number.optional(),

  /* Operations: /metrics needs METRICS_TOKEN, or is served on METRICS_HOST:METRICS_PORT. */
  METRICS_TOKEN: Env.schema.string.optional(),
  METRICS_PORT: Env.schema.number.optional(),
  METRICS_HOST: Env.schema.string.optional({ format: 'host' }),
  HEALTH_CHECK_TIMEOUT_MS: Env.schema.number.optional(),
  HEALTH_CACHE_MS: Env.schema.number.optional(),
  HEALTH_DISK_WARN_PERCENT: Env.schema.number.optional(),
  HEALTH_DISK_FAIL_PERCENT: Env.schema.number.optional(),
  HEALTH_BACKLOG_WARN: Env.schema.number.optional(),

  /* Mail: written to the log locally, SMTP in production. */
  MAIL_MAILER: Env.schema.enum.optional(['log', 'smtp'] as const),
  MAIL_FROM_ADDRESS: Env.schema.string.optional({ format: 'email' }),
  MAIL_FROM_NAME: Env.schema.string.optional(),
  SMTP_HOST: Env.schema.string.optionalWhen(() => !usesSmtp()),
  SMTP_PORT: Env.schema.number.optionalWhen(() => !usesSmtp()),
  SMTP_USERNAME: Env.schema.string.optional(),
  SMTP_PASSWORD: Env.schema.string.optional(),
  SMTP_SECURE: Env.schema.boolean.optional(),
})
