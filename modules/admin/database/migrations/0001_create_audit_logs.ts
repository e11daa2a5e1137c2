import { BaseSchema } from '@adonisjs/lucid/schema'

/* Append-only record of what platform admins did: who, what, to what, when, before and after. */
export default class extends BaseSchema {
  protected tableName = 'audit_logs'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.bigIncrements('id')
      table
        .integer('actor_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      /* Kept as text so the entry still says who acted after that account is deleted. */
      table.string('actor_email', 254).nullable()
      table.string('action', 64).notNullable()
      table.string('subject_type', 64).notNullable()
      table.string('subject_id', 64).nullable()
      table.string('subject_label', 254).nullable()
      table.text('before').nullable()
      table.text('after').nullable()
      table.string('ip', 64).nullable()
      table.string('request_id', 64).nullable()
      table.dateTime('created_at', { useTz: true }).notNullable()
      table.index(['created_at'])
      table.index(['subject_type', 'subject_id'])
      table.index(['actor_id'])
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
