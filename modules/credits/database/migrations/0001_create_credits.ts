import { BaseSchema } from '@adonisjs/lucid/schema'

/*
| The credits ledger (docs/adr/0007-credits-ledger.md). Times are milliseconds since the epoch
| (bigint): expiry is compared in SQL the same way on SQLite, PostgreSQL and MariaDB.
|
| credit_entries and credit_allocations are append-only. credit_accounts, credit_grants and
| credit_holds hold the current state, and `credits:audit` proves it equals the sum of the log.
*/
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('credit_accounts', (table) => {
      table.increments('id')
      table
        .integer('company_id')
        .unsigned()
        .notNullable()
        .unique()
        .references('id')
        .inTable('companies')
        .onDelete('CASCADE')
      /* Every write bumps it first: that UPDATE is the account's lock on all three databases. */
      table.bigInteger('version').notNullable().defaultTo(0)
      table.bigInteger('balance').notNullable().defaultTo(0)
      table.bigInteger('held').notNullable().defaultTo(0)
      table.bigInteger('low_balance_threshold').nullable()
      table.boolean('low_balance_notified').notNullable().defaultTo(false)
      /* Earliest expiry among unspent grants and active holds: writes sweep only once it passed. */
      table.bigInteger('next_expiry_at').nullable()
      table.bigInteger('created_at').notNullable()
      table.bigInteger('updated_at').notNullable()
    })

    this.schema.createTable('credit_entries', (table) => {
      table.bigIncrements('id')
      table
        .integer('company_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('companies')
        .onDelete('CASCADE')
      /* grant purchase consume hold capture release expire adjust refund */
      table.string('type', 16).notNullable()
      table.bigInteger('amount').notNullable()
      table.bigInteger('held_change').notNullable().defaultTo(0)
      table.bigInteger('balance_after').notNullable()
      table.bigInteger('held_after').notNullable()
      table.bigInteger('grant_id').nullable()
      table.bigInteger('hold_id').nullable()
      /* Who or what caused it: user, token, job, stripe, admin, system */
      table.string('actor_type', 16).notNullable()
      table.string('actor_id', 191).nullable()
      table.string('reason', 500).notNullable()
      table.text('metadata').nullable()
      table.string('idempotency_key', 255).nullable()
      table.bigInteger('created_at').notNullable()
      table.index(['company_id', 'id'])
      table.index(['company_id', 'type', 'id'])
      table.index(['company_id', 'created_at'])
      table.unique(['company_id', 'idempotency_key'])
    })

    this.schema.createTable('credit_grants', (table) => {
      table.bigIncrements('id')
      table
        .integer('company_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('companies')
        .onDelete('CASCADE')
      /* paid (bought) or free (given); refunds and positive adjustments are free grants */
      table.string('kind', 8).notNullable()
      table.bigInteger('amount').notNullable()
      /* Not yet spent, reserved by a hold, or expired */
      table.bigInteger('remaining').notNullable()
      /* Lower numbers are spent first among grants that expire at the same time */
      table.integer('priority').notNullable().defaultTo(0)
      table.bigInteger('expires_at').nullable()
      table.bigInteger('entry_id').notNullable()
      table.bigInteger('created_at').notNullable()
      table.index(['company_id', 'remaining'])
      table.index(['expires_at', 'remaining'])
    })

    this.schema.createTable('credit_holds', (table) => {
      table.bigIncrements('id')
      table
        .integer('company_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('companies')
        .onDelete('CASCADE')
      table.bigInteger('amount').notNullable()
      table.bigInteger('captured').notNullable().defaultTo(0)
      /* active → captured | released | expired */
      table.string('status', 16).notNullable()
      table.string('reason', 500).notNullable()
      table.bigInteger('expires_at').notNullable()
      table.bigInteger('created_at').notNullable()
      table.bigInteger('settled_at').nullable()
      table.index(['company_id', 'status'])
      table.index(['status', 'expires_at'])
    })

    /* Which grants a hold reserved, and how much of each (given back or spent when it settles). */
    this.schema.createTable('credit_hold_grants', (table) => {
      table.bigInteger('hold_id').notNullable()
      table.bigInteger('grant_id').notNullable()
      table.bigInteger('amount').notNullable()
      table.primary(['hold_id', 'grant_id'])
    })

    /* How each entry moved grant remainders: grant.remaining = grant.amount + Σ allocations. */
    this.schema.createTable('credit_allocations', (table) => {
      table.bigIncrements('id')
      table.bigInteger('entry_id').notNullable()
      table.bigInteger('grant_id').notNullable()
      table.bigInteger('amount').notNullable()
      table.index(['grant_id'])
      table.index(['entry_id'])
    })
  }

  async down() {
    for (const name of [
      'credit_allocations',
      'credit_hold_grants',
      'credit_holds',
      'credit_grants',
      'credit_entries',
      'credit_accounts',
    ])
      this.schema.dropTable(name)
  }
}
