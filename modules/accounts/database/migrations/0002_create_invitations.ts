import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  protected tableName = 'invitations'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table
        .integer('company_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('companies')
        .onDelete('CASCADE')
      table.string('email', 254).notNullable()
      table.string('role', 32).notNullable()
      /* Only a hash of the token is stored; the link in the mail carries the secret. */
      table.string('token_hash', 128).notNullable().unique()
      table
        .integer('invited_by_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.dateTime('expires_at', { useTz: true }).notNullable()
      table.dateTime('sent_at', { useTz: true }).notNullable()
      table.dateTime('accepted_at', { useTz: true }).nullable()
      table
        .integer('accepted_by_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.dateTime('created_at', { useTz: true }).notNullable()
      table.dateTime('updated_at', { useTz: true }).notNullable()
      table.index(['company_id', 'email'])
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
