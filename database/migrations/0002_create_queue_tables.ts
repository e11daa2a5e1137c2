import { BaseSchema } from '@adonisjs/lucid/schema'

/*
| The queue's own tables. Times are epoch milliseconds (bigint): the workers compare them on
| every poll, and integers compare the same on SQLite, PostgreSQL and MySQL.
| - queue_jobs: jobs of the database driver (local and desktop runs without Redis)
| - queue_workers: heartbeats of live workers and schedulers (both drivers)
| - schedule_runs: one row per schedule tick; the primary key makes one scheduler win it
*/
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('queue_jobs', (table) => {
      table.string('id', 64).primary()
      table.string('queue', 64).notNullable()
      table.string('name', 191).notNullable()
      table.text('payload').notNullable()
      table.text('meta').notNullable()
      table.string('status', 16).notNullable()
      table.integer('priority').notNullable().defaultTo(0)
      table.integer('attempts_made').notNullable().defaultTo(0)
      table.integer('max_attempts').notNullable().defaultTo(1)
      table.integer('stalled_count').notNullable().defaultTo(0)
      table.string('backoff', 128).notNullable()
      table.string('dedupe_id', 191).nullable().unique()
      table.string('locked_by', 128).nullable()
      table.bigInteger('locked_until').nullable()
      table.text('last_error').nullable()
      table.bigInteger('available_at').notNullable()
      table.bigInteger('created_at').notNullable()
      table.bigInteger('started_at').nullable()
      table.bigInteger('finished_at').nullable()
      table.index(['queue', 'status', 'available_at'])
      table.index(['status', 'locked_until'])
      table.index(['status', 'finished_at'])
    })

    this.schema.createTable('queue_workers', (table) => {
      table.string('id', 191).primary()
      table.string('kind', 16).notNullable()
      table.string('host', 191).notNullable()
      table.integer('pid').notNullable()
      table.string('queues', 512).notNullable().defaultTo('')
      table.integer('concurrency').notNullable().defaultTo(0)
      table.bigInteger('started_at').notNullable()
      table.bigInteger('last_seen_at').notNullable()
    })

    this.schema.createTable('schedule_runs', (table) => {
      table.string('schedule', 191).notNullable()
      table.bigInteger('run_at').notNullable()
      table.string('claimed_by', 191).notNullable()
      table.bigInteger('created_at').notNullable()
      table.primary(['schedule', 'run_at'])
    })
  }

  async down() {
    this.schema.dropTable('schedule_runs')
    this.schema.dropTable('queue_workers')
    this.schema.dropTable('queue_jobs')
  }
}
