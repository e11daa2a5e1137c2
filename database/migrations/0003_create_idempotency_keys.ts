import { BaseSchema } from '@adonisjs/lucid/schema'

/*
| Idempotency-Key on API writes (app/middleware/idempotency_middleware.ts): the first request
| with a key claims the row; its response is stored and replayed to retries for 24 hours.
| Times in milliseconds since the epoch.
*/
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('idempotency_keys', (table) => {
      table.bigIncrements('id')
      /* Whose key: `company:<id>` for API tokens, `user:<id>` otherwise */
      table.string('scope', 64).notNullable()
      table.string('key', 255).notNullable()
      table.string('request_hash', 64).notNullable()
      /* Which request holds the key (a random token): the one whose insert won */
      table.string('claim', 36).notNullable()
      /* running → done */
      table.string('status', 8).notNullable()
      table.integer('response_status').nullable()
      table.text('response_body').nullable()
      table.bigInteger('created_at').notNullable()
      table.bigInteger('expires_at').notNullable()
      table.unique(['scope', 'key'])
      table.index(['expires_at'])
    })
  }

  async down() {
    this.schema.dropTable('idempotency_keys')
  }
}
