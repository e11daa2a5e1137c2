import type { ApplicationService } from '@adonisjs/core/types'
import modulesConfig from '#config/modules'
import redisConfig, { redisEnabled } from '#config/redis'
import { JobRegistry } from '#app/queue/registry'
import { QueueService } from '#app/queue/queue'
import { BullmqDriver } from '#app/queue/drivers/bullmq_driver'
import { DatabaseDriver } from '#app/queue/drivers/database_driver'
import { Scheduler } from '#app/queue/scheduler'
import type { JobRunner } from '#app/queue/execute'
import { queueMailThrough } from '#app/mail/queued_mail'

/*
| The job queue: discovers jobs at boot, picks the driver (BullMQ with Redis, the database
| without), carries `mail.sendLater` (app/mail/queued_mail.ts), and — when QUEUE_IN_PROCESS is on (the default without Redis) — runs a worker and
| the scheduler inside the web process, so `npm run up` needs nothing else running.
*/
export function queueDriverKind() {
  const configured = process.env.QUEUE_DRIVER
  if (configured === 'bullmq' || configured === 'database') return configured
  return redisEnabled ? 'bullmq' : 'database'
}

export function makeDriver(kind: 'bullmq' | 'database', run: JobRunner, prefix?: string) {
  if (kind === 'database') return new DatabaseDriver(run)
  const { host, port, password, db } = redisConfig.connections.main as any
  return new BullmqDriver(run, { host, port, password, db }, prefix)
}

export default class QueueProvider {
  #registry = new JobRegistry()
  #stops: Array<() => Promise<void>> = []

  constructor(protected app: ApplicationService) {}

  register() {
    this.app.container.singleton(QueueService, () => {
      let service: QueueService
      const driver = makeDriver(queueDriverKind(), (attempt) => service.run(attempt))
      service = new QueueService(this.app, this.#registry, driver)
      return service
    })
    this.app.container.alias('queue', QueueService)
  }

  async boot() {
    await this.#registry.discover(this.app, modulesConfig.enabled)
    /* mail.sendLater queues a job instead of keeping the mail in memory. */
    if (this.app.container.hasBinding('mail.manager')) {
      const mail = await this.app.container.make('mail.manager')
      queueMailThrough(mail, () => this.app.container.make('queue'))
    }
  }

  async ready() {
    if (this.app.getEnvironment() !== 'web' || !inProcess()) return
    const queue = await this.app.container.make('queue')
    const logger = await this.app.container.make('logger')
    const worker = await queue.work({
      kind: 'web',
      queues: queue.registry.queues(),
      concurrency: Number(process.env.QUEUE_CONCURRENCY ?? 4),
    })
    const scheduler = new Scheduler(queue, (error) => logger.error({ err: error }, 'scheduler'))
    scheduler.start()
    this.#stops.push(
      () => worker.stop(),
      () => scheduler.stop()
    )
    logger.info('jobs run in this process (%s driver)', queue.driver.kind)
  }

  async shutdown() {
    await Promise.all(this.#stops.map((stop) => stop()))
    if (this.app.container.hasBinding('queue')) {
      const queue = await this.app.container.make('queue')
      await queue.close()
    }
  }
}

function inProcess() {
  const configured = process.env.QUEUE_IN_PROCESS
  if (configured !== undefined && configured !== '') return configured === 'true'
  return queueDriverKind() === 'database'
}

declare module '@adonisjs/core/types' {
  interface ContainerBindings {
    queue: QueueService
  }
}
