import { BaseSchema } from '@adonisjs/lucid/schema'

/*
| auth_access_tokens: API tokens (columns read by @adonisjs/auth's token provider, plus the
| company the token acts for). remember_me_tokens: the session guard's "remember me".
| password_reset_tokens: single-use, hashed, short-lived.
*/
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('auth_access_tokens', (table) => {
      table.increments('id')
      table
        .integer('tokenable_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      table
        .integer('company_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('companies')
        .onDelete('CASCADE')
      table.string('type', 32).notNullable()
      table.string('name', 120).nullable()
      table.string('hash', 128).notNullable()
      table.text('abilities').notNullable()
      table.dateTime('created_at', { useTz: true }).notNullable()
      table.dateTime('updated_at', { useTz: true }).notNullable()
      table.dateTime('last_used_at', { useTz: true }).nullable()
      table.dateTime('expires_at', { useTz: true }).nullable()
      table.index(['tokenable_id', 'company_id'])
    })

    this.schema.createTable('remember_me_tokens', (table) => {
      table.increments('id')
      table
        .integer('tokenable_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      table.string('hash', 128).notNullable().unique()
      table.dateTime('created_at', { useTz: true }).notNullable()
      table.dateTime('updated_at', { useTz: true }).notNullable()
      table.dateTime('expires_at', { useTz: true }).notNullable()
    })

    this.schema.createTable('password_reset_tokens', (table) => {
      table.increments('id')
      table
        .integer('user_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      table.string('hash', 128).notNullable().unique()
      table.dateTime('expires_at', { useTz: true }).notNullable()
      table.dateTime('created_at', { useTz: true }).notNullable()
    })
  }

  async down() {
    this.schema.dropTable('password_reset_tokens')
    this.schema.dropTable('remember_me_tokens')
    this.schema.dropTable('auth_access_tokens')
  }
}
