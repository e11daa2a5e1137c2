import { BaseSchema } from '@adonisjs/lucid/schema'

/*
| Telemetry (docs/adr/0008-telemetry.md). Times are milliseconds since the epoch (bigint), days
| are UTC dates ('YYYY-MM-DD').
|
| telemetry_events is the one large table: append-only, no foreign keys (each would cost a lookup
| per inserted row), pruned by `telemetry:prune`. Dashboards read telemetry_installation_days,
| a rollup written in the same transaction as the events.
*/
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('telemetry_installations', (table) => {
      table.increments('id')
      table.string('uuid', 36).notNullable().unique()
      table
        .integer('company_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('companies')
        .onDelete('CASCADE')
      table
        .integer('last_user_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.string('app_version', 64).notNullable()
      table.string('platform', 32).notNullable()
      table.string('os_version', 64).nullable()
      table.string('locale', 35).nullable()
      table.bigInteger('events_received').notNullable().defaultTo(0)
      table.bigInteger('first_seen_at').notNullable()
      table.bigInteger('last_seen_at').notNullable()
      table.index(['company_id', 'last_seen_at'])
      table.index(['last_seen_at'])
    })

    this.schema.createTable('telemetry_issues', (table) => {
      table.increments('id')
      /* sha256 of type + normalized message + top frames: the same error everywhere. */
      table.string('fingerprint', 64).notNullable().unique()
      table.string('name', 200).notNullable()
      table.string('message', 1000).notNullable()
      table.string('culprit', 500).nullable()
      /* open | resolved | ignored */
      table.string('status', 16).notNullable().defaultTo('open')
      table.boolean('regressed').notNullable().defaultTo(false)
      /* The newest version seen when it was resolved: an error in a newer one is a regression. */
      table.string('resolved_version', 64).nullable()
      table.bigInteger('events_count').notNullable().defaultTo(0)
      table.integer('installations_count').notNullable().defaultTo(0)
      table.string('first_version', 64).notNullable()
      table.string('last_version', 64).notNullable()
      table.bigInteger('last_event_id').nullable()
      table.bigInteger('first_seen_at').notNullable()
      table.bigInteger('last_seen_at').notNullable()
      table.bigInteger('status_changed_at').nullable()
      table.index(['status', 'last_seen_at'])
      table.index(['last_seen_at'])
    })

    this.schema.createTable('telemetry_issue_installations', (table) => {
      table.integer('issue_id').unsigned().notNullable()
      table.integer('installation_id').unsigned().notNullable()
      table.bigInteger('first_seen_at').notNullable()
      table.primary(['issue_id', 'installation_id'])
    })

    this.schema.createTable('telemetry_issue_versions', (table) => {
      table.integer('issue_id').unsigned().notNullable()
      table.string('app_version', 64).notNullable()
      table.bigInteger('events_count').notNullable().defaultTo(0)
      table.bigInteger('last_seen_at').notNullable()
      table.primary(['issue_id', 'app_version'])
    })

    this.schema.createTable('telemetry_events', (table) => {
      table.bigIncrements('id')
      /* The client's id: re-sent events are found by it and stored once. */
      table.string('event_id', 36).notNullable().unique()
      table.integer('company_id').unsigned().notNullable()
      table.integer('installation_id').unsigned().notNullable()
      /* event | log | error */
      table.string('type', 8).notNullable()
      table.string('name', 200).notNullable()
      table.string('level', 16).nullable()
      table.text('message').nullable()
      table.text('props').nullable()
      table.string('session_id', 64).nullable()
      table.text('stack').nullable()
      table.string('app_version', 64).notNullable()
      table.string('platform', 32).notNullable()
      table.integer('issue_id').unsigned().nullable()
      table.bigInteger('occurred_at').notNullable()
      table.bigInteger('received_at').notNullable()
      table.index(['company_id', 'id'])
      table.index(['installation_id', 'id'])
      table.index(['issue_id', 'id'])
      table.index(['received_at'])
    })

    /* One row per installation, UTC day and app version: every chart and stat card reads this. */
    this.schema.createTable('telemetry_installation_days', (table) => {
      table.integer('installation_id').unsigned().notNullable()
      table.string('day', 10).notNullable()
      table.string('app_version', 64).notNullable()
      table.integer('company_id').unsigned().notNullable()
      table.string('platform', 32).notNullable()
      table.bigInteger('events').notNullable().defaultTo(0)
      table.bigInteger('logs').notNullable().defaultTo(0)
      table.bigInteger('errors').notNullable().defaultTo(0)
      table.primary(['installation_id', 'day', 'app_version'])
      table.index(['day'])
      table.index(['company_id', 'day'])
      table.index(['app_version', 'day'])
    })

    this.schema.createTable('telemetry_releases', (table) => {
      table.increments('id')
      table.string('version', 64).notNullable()
      table.string('channel', 32).notNullable()
      table.string('platform', 32).notNullable()
      table.string('download_url', 2000).notNullable()
      table.string('sha256', 64).notNullable()
      table.text('notes').nullable()
      table.integer('rollout_percentage').notNullable().defaultTo(100)
      table.bigInteger('halted_at').nullable()
      table
        .integer('published_by_user_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.bigInteger('published_at').notNullable()
      table.bigInteger('updated_at').notNullable()
      table.unique(['platform', 'channel', 'version'])
    })
  }

  async down() {
    for (const table of [
      'telemetry_releases',
      'telemetry_installation_days',
      'telemetry_events',
      'telemetry_issue_versions',
      'telemetry_issue_installations',
      'telemetry_issues',
      'telemetry_installations',
    ])
      this.schema.dropTableIfExists(table)
  }
}
