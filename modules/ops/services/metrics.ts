import { Registry, Histogram, Gauge, Counter, collectDefaultMetrics } from 'prom-client'
import type { ApplicationService } from '@adonisjs/core/types'
import type { HttpContext } from '@adonisjs/core/http'
import { Realtime } from '#app/realtime/realtime'
import { jobEvents, type JobOutcome } from '#app/queue/reporter'

/*
| Prometheus metrics (prom-client): process and event-loop metrics, HTTP request durations by
| route pattern and status, realtime connections, queue depth and throughput (read from the
| queue's store at scrape time, so any one web process reports the cluster's queues) and the
| jobs this process ran.
*/
export class Metrics {
  readonly registry = new Registry()
  #http: Histogram<'method' | 'route' | 'status'>
  #jobs: Counter<'queue' | 'job' | 'status'>
  #jobDuration: Histogram<'queue' | 'job'>
  #queueCache: { at: number; value: Promise<any> } | null = null

  constructor(protected app: ApplicationService) {
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 20 })
    this.#http = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by route pattern and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    })
    this.#jobs = new Counter({
      name: 'tandem_jobs_processed_total',
      help: 'Job attempts finished by this process',
      labelNames: ['queue', 'job', 'status'],
      registers: [this.registry],
    })
    this.#jobDuration = new Histogram({
      name: 'tandem_job_duration_seconds',
      help: 'Duration of job attempts run by this process',
      labelNames: ['queue', 'job'],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
      registers: [this.registry],
    })
    this.#gauges()
    jobEvents.on('finished', this.#onJob)
  }

  observeRequest(ctx: HttpContext, duration: [number, number]) {
    const route = ctx.route?.pattern ?? 'unmatched'
    const seconds = duration[0] + duration[1] / 1e9
    this.#http.observe(
      { method: ctx.request.method(), route, status: String(ctx.response.getStatus()) },
      seconds
    )
  }

  #onJob = (outcome: JobOutcome) => {
    this.#jobs.inc({ queue: outcome.queue, job: outcome.name, status: outcome.status })
    this.#jobDuration.observe(
      { queue: outcome.queue, job: outcome.name },
      outcome.durationMs / 1000
    )
  }

  #gauges() {
    const app = this.app
    const queueStats = () => this.#queueStats()
    new Gauge({
      name: 'tandem_realtime_connections',
      help: 'Socket.IO clients connected to this process',
      registers: [this.registry],
      async collect() {
        const realtime = await app.container.make(Realtime)
        this.set(realtime.io?.engine.clientsCount ?? 0)
      },
    })
    new Gauge({
      name: 'tandem_queue_jobs',
      help: 'Jobs per queue and state',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        this.reset()
        const { stats } = await queueStats()
        for (const queue of stats) {
          for (const [state, count] of Object.entries(queue.counts)) {
            this.set({ queue: queue.name, state }, count as number)
          }
        }
      },
    })
    new Gauge({
      name: 'tandem_queue_finished_last_hour',
      help: 'Jobs finished in the last hour per queue (completed / failed): throughput',
      labelNames: ['queue', 'outcome'],
      registers: [this.registry],
      async collect() {
        this.reset()
        const { stats } = await queueStats()
        for (const queue of stats) {
          this.set({ queue: queue.name, outcome: 'completed' }, queue.throughput.completed)
          this.set({ queue: queue.name, outcome: 'failed' }, queue.throughput.failed)
        }
      },
    })
    new Gauge({
      name: 'tandem_queue_workers_online',
      help: 'Queue workers and schedulers seen in the last 30 s',
      labelNames: ['kind'],
      registers: [this.registry],
      async collect() {
        this.reset()
        const { workers } = await queueStats()
        for (const worker of workers) this.inc({ kind: worker.kind })
      },
    })
  }

  /* One read of the queue store per scrape (and at most one every 5 s). */
  #queueStats(): Promise<{ stats: any[]; workers: any[] }> {
    if (this.#queueCache && Date.now() - this.#queueCache.at < 5000) return this.#queueCache.value
    const value = (async () => {
      const queue = await this.app.container.make('queue')
      return { stats: await queue.stats(60), workers: await queue.heartbeats.online() }
    })()
    value.catch(() => (this.#queueCache = null))
    this.#queueCache = { at: Date.now(), value }
    return value
  }

  close() {
    jobEvents.off('finished', this.#onJob)
    this.registry.clear()
  }
}
