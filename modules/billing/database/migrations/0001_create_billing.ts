import { BaseSchema } from '@adonisjs/lucid/schema'

/*
| Billing (docs/adr/0010-billing.md). Stripe is the source of truth for subscriptions; these
| tables are what Tandem needs to answer quickly and to apply each event once. Times are
| milliseconds since the epoch.
*/
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('billing_customers', (table) => {
      table
        .integer('company_id')
        .unsigned()
        .notNullable()
        .primary()
        .references('id')
        .inTable('companies')
        .onDelete('CASCADE')
      table.string('stripe_customer_id', 255).notNullable().unique()
      /* Bumped first by every subscription change: the company's billing lock. */
      table.bigInteger('version').notNullable().defaultTo(0)
      table.bigInteger('created_at').notNullable()
    })

    /* One row per company: a company never has two subscriptions. */
    this.schema.createTable('billing_subscriptions', (table) => {
      table.increments('id')
      table
        .integer('company_id')
        .unsigned()
        .notNullable()
        .unique()
        .references('id')
        .inTable('companies')
        .onDelete('CASCADE')
      table.string('stripe_subscription_id', 255).notNullable().unique()
      table.string('stripe_customer_id', 255).notNullable()
      table.string('plan', 64).nullable()
      table.string('interval', 16).nullable()
      table.string('price_id', 255).notNullable()
      table.string('status', 32).notNullable()
      table.bigInteger('trial_end').nullable()
      table.bigInteger('current_period_start').notNullable()
      table.bigInteger('current_period_end').notNullable()
      table.boolean('cancel_at_period_end').notNullable().defaultTo(false)
      table.bigInteger('canceled_at').nullable()
      table.bigInteger('synced_at').notNullable()
      table.bigInteger('created_at').notNullable()
      table.bigInteger('updated_at').notNullable()
    })

    /* Every Stripe event once: a redelivery finds its row and changes nothing. */
    this.schema.createTable('billing_events', (table) => {
      table.string('id', 255).primary()
      table.string('type', 128).notNullable()
      table.bigInteger('stripe_created').notNullable()
      table.string('status', 16).notNullable()
      table.integer('attempts').notNullable().defaultTo(0)
      table.text('error').nullable()
      table.text('payload', 'mediumtext').notNullable()
      table.string('source', 16).notNullable()
      table.bigInteger('received_at').notNullable()
      table.bigInteger('claimed_at').nullable()
      table.bigInteger('processed_at').nullable()
      table.index(['status', 'received_at'])
    })

    /* What a payment bought, so a refund or a lost dispute can take the credits back. */
    this.schema.createTable('billing_payments', (table) => {
      table.increments('id')
      table
        .integer('company_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('companies')
        .onDelete('CASCADE')
      table.string('kind', 16).notNullable()
      table.string('reference', 255).notNullable().unique()
      table.string('payment_intent', 255).nullable().index()
      table.integer('amount').notNullable()
      table.string('currency', 8).notNullable()
      table.bigInteger('credits').notNullable()
      table.bigInteger('credits_taken_back').notNullable().defaultTo(0)
      table.bigInteger('created_at').notNullable()
    })
  }

  async down() {
    this.schema.dropTable('billing_payments')
    this.schema.dropTable('billing_events')
    this.schema.dropTable('billing_subscriptions')
    this.schema.dropTable('billing_customers')
  }
}
