import { statfs } from 'node:fs/promises'
import db from '@adonisjs/lucid/services/db'
import { MigrationRunner } from '@adonisjs/lucid/migration'
import type { ApplicationService } from '@adonisjs/core/types'
import { redisEnabled } from '#config/redis'

/*
| Readiness: can this process serve traffic? Each check has a deadline (a dead database must not
| hang the probe) and reports its status, message and duration. Any `error` makes the report
| `error` (503); a `warning` (disk filling up, a growing backlog) stays ready.
*/
export type CheckStatus = 'ok' | 'warning' | 'error'
export type CheckResult = {
  status: CheckStatus
  message: string
  durationMs: number
  meta?: object
}
export type ReadinessReport = {
  status: CheckStatus
  checkedAt: string
  durationMs: number
  checks: Record<string, CheckResult>
}

const TIMEOUT_MS = Number(process.env.HEALTH_CHECK_TIMEOUT_MS ?? 2000)
const CACHE_MS = Number(process.env.HEALTH_CACHE_MS ?? 1000)
const DISK_WARN = Number(process.env.HEALTH_DISK_WARN_PERCENT ?? 85)
const DISK_FAIL = Number(process.env.HEALTH_DISK_FAIL_PERCENT ?? 95)
const BACKLOG_WARN = Number(process.env.HEALTH_BACKLOG_WARN ?? 1000)

type Check = () => Promise<Omit<CheckResult, 'durationMs'>>

export class Readiness {
  #migrations: Set<string> | null = null
  #cached: { at: number; report: Promise<ReadinessReport> } | null = null

  constructor(protected app: ApplicationService) {}

  /** Reports are shared for HEALTH_CACHE_MS so a burst of probes costs one round of checks. */
  run(): Promise<ReadinessReport> {
    if (this.#cached && Date.now() - this.#cached.at < CACHE_MS) return this.#cached.report
    const report = this.#run()
    this.#cached = { at: Date.now(), report }
    return report
  }

  async #run(): Promise<ReadinessReport> {
    const started = performance.now()
    const checks: Record<string, Check> = {
      database: () => this.#database(),
      migrations: () => this.#pendingMigrations(),
      ...(redisEnabled ? { redis: () => this.#redis() } : {}),
      disk: () => this.#disk(),
      queue: () => this.#backlog(),
    }
    const entries = await Promise.all(
      Object.entries(checks).map(async ([name, check]) => [name, await timed(check)] as const)
    )
    const results = Object.fromEntries(entries)
    const statuses = entries.map(([, result]) => result.status)
    return {
      status: statuses.includes('error')
        ? 'error'
        : statuses.includes('warning')
          ? 'warning'
          : 'ok',
      checkedAt: new Date().toISOString(),
      durationMs: round(performance.now() - started),
      checks: results,
    }
  }

  async #database() {
    await db.rawQuery('select 1')
    return { status: 'ok' as const, message: `${db.connection().dialect.name} reachable` }
  }

  async #pendingMigrations() {
    if (!this.#migrations) {
      const runner = new MigrationRunner(db, this.app, { direction: 'up', dryRun: true })
      const list = await runner.getList()
      this.#migrations = new Set(list.map((node) => node.name))
    }
    const rows = await db.from('adonis_schema').select('name')
    const applied = new Set(rows.map((row) => row.name as string))
    const pending = [...this.#migrations].filter((name) => !applied.has(name))
    return pending.length
      ? {
          status: 'error' as const,
          message: `${pending.length} migration(s) pending`,
          meta: { pending },
        }
      : { status: 'ok' as const, message: `${applied.size} migrations applied` }
  }

  async #redis() {
    const redis = await this.app.container.make('redis')
    await redis.ping()
    return { status: 'ok' as const, message: 'Redis reachable' }
  }

  async #disk() {
    const stats = await statfs(this.app.makePath('storage')).catch(() => statfs(this.app.appRoot))
    const used = 100 - (Number(stats.bavail) / Number(stats.blocks)) * 100
    const freeGb = (Number(stats.bavail) * Number(stats.bsize)) / 1e9
    const message = `${used.toFixed(1)}% used, ${freeGb.toFixed(1)} GB free`
    const status = used >= DISK_FAIL ? 'error' : used >= DISK_WARN ? 'warning' : 'ok'
    return { status: status as CheckStatus, message, meta: { usedPercent: round(used) } }
  }

  async #backlog() {
    const queue = await this.app.container.make('queue')
    const counts = await Promise.all(
      queue.registry.queues().map((name) => queue.driver.counts(name))
    )
    const waiting = counts.reduce((total, count) => total + count.waiting, 0)
    const failed = counts.reduce((total, count) => total + count.failed, 0)
    return {
      status: (waiting > BACKLOG_WARN ? 'warning' : 'ok') as CheckStatus,
      message: `${waiting} waiting, ${failed} failed (${queue.driver.kind})`,
      meta: { waiting, failed },
    }
  }
}

async function timed(check: Check): Promise<CheckResult> {
  const started = performance.now()
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS)
  })
  try {
    const result = await Promise.race([check(), deadline])
    return { ...result, durationMs: round(performance.now() - started) }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    return { status: 'error', message, durationMs: round(performance.now() - started) }
  } finally {
    clearTimeout(timer)
  }
}

const round = (value: number) => Math.round(value * 10) / 10
