import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import app from '@adonisjs/core/services/app'
import { redisEnabled } from '#config/redis'
import { makeDriver } from '#app/providers/queue_provider'
import { QueueService } from '#app/queue/queue'

/*
| The queue's behavioural tests run once per driver: the database driver always, BullMQ when
| Redis is configured (CI's PostgreSQL and MariaDB runs). Each BullMQ test gets its own key
| prefix, so runs never see each other's jobs.
*/
export type DriverKind = 'database' | 'bullmq'

export const DRIVERS: Array<{ kind: DriverKind; skip: string | null }> = [
  { kind: 'database', skip: null },
  { kind: 'bullmq', skip: redisEnabled ? null : 'BullMQ needs Redis: set REDIS_HOST' },
]

export async function makeQueue(kind: DriverKind) {
  const base = await app.container.make('queue')
  const prefix = `tandem-test-${randomBytes(4).toString('hex')}`
  let service: QueueService
  const driver = makeDriver(kind, (attempt) => service.run(attempt), prefix)
  service = new QueueService(app, base.registry, driver)
  const workers: Array<{ stop(graceMs?: number): Promise<void> }> = []
  return {
    queue: service,
    prefix,
    async work(concurrency = 4, queues = service.registry.queues()) {
      const worker = await service.work({ queues, concurrency })
      workers.push(worker)
      return worker
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.stop(500)))
      await service.close()
      if (kind === 'bullmq') await deleteKeys(prefix)
    },
  }
}

export async function deleteKeys(prefix: string) {
  const redis = await app.container.make('redis')
  const client = redis.connection().ioConnection
  const keys = await client.keys(`${prefix}:*`)
  if (keys.length) await client.del(...keys)
}

export async function scratchDir() {
  return mkdtemp(join(tmpdir(), 'tandem-queue-'))
}

export async function lines(file: string) {
  const text = await readFile(file, 'utf8').catch(() => '')
  return text.split('\n').filter(Boolean)
}

export async function waitFor<T>(
  probe: () => Promise<T | null | undefined | false>,
  what: string,
  timeoutMs = 15_000
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const value = await probe()
    if (value) return value
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  throw new Error(`timed out waiting for ${what}`)
}
