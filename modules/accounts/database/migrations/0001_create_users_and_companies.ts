import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    this.schema.createTable('companies', (table) => {
      table.increments('id')
      table.string('name', 120).notNullable()
      table.boolean('personal').notNullable().defaultTo(false)
      table.dateTime('created_at', { useTz: true }).notNullable()
      table.dateTime('updated_at', { useTz: true }).notNullable()
    })

    this.schema.createTable('users', (table) => {
      table.increments('id')
      table.string('email', 254).notNullable().unique()
      table.string('full_name', 120).nullable()
      table.string('password').notNullable()
      table.boolean('is_admin').notNullable().defaultTo(false)
      table.dateTime('email_verified_at', { useTz: true }).nullable()
      /* A new address waiting for confirmation; the account keeps its email until then. */
      table.string('pending_email', 254).nullable()
      table.dateTime('disabled_at', { useTz: true }).nullable()
      table
        .integer('current_company_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('companies')
        .onDelete('SET NULL')
      table.dateTime('created_at', { useTz: true }).notNullable()
      table.dateTime('updated_at', { useTz: true }).notNullable()
    })

    this.schema.createTable('memberships', (table) => {
      table.increments('id')
      table
        .integer('company_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('companies')
        .onDelete('CASCADE')
      table
        .integer('user_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      table.string('role', 32).notNullable()
      table.dateTime('created_at', { useTz: true }).notNullable()
      table.dateTime('updated_at', { useTz: true }).notNullable()
      table.unique(['company_id', 'user_id'])
      table.index(['user_id'])
    })
  }

  async down() {
    this.schema.dropTable('memberships')
    this.schema.dropTable('users')
    this.schema.dropTable('companies')
  }
}
