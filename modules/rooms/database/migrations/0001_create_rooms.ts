import { BaseSchema } from '@adonisjs/lucid/schema'

/*
| Rooms (docs/adr/0009-rooms.md). Times are milliseconds since the epoch (bigint), compared and
| ordered the same way on SQLite, PostgreSQL and MariaDB.
|
| room_timers holds the one authoritative focus timer per room, so its state survives restarts
| and every app process reads the same thing; `version` is bumped first by every change and
| serialises concurrent presses of start/pause.
*/
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('rooms', (table) => {
      table.increments('id')
      table
        .integer('company_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('companies')
        .onDelete('CASCADE')
      table.string('name', 80).notNullable()
      table.string('topic', 250).nullable()
      table.string('visibility', 16).notNullable()
      table
        .integer('created_by')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.bigInteger('archived_at').nullable()
      table.bigInteger('created_at').notNullable()
      table.bigInteger('updated_at').notNullable()
      table.index(['company_id', 'archived_at'])
    })

    this.schema.createTable('room_members', (table) => {
      table
        .integer('room_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('rooms')
        .onDelete('CASCADE')
      table
        .integer('user_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      table.bigInteger('joined_at').notNullable()
      table.primary(['room_id', 'user_id'])
      table.index(['user_id'])
    })

    this.schema.createTable('room_messages', (table) => {
      table.bigIncrements('id')
      table
        .integer('room_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('rooms')
        .onDelete('CASCADE')
      table
        .integer('user_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.text('body').notNullable()
      table.bigInteger('created_at').notNullable()
      table.bigInteger('edited_at').nullable()
      table.bigInteger('deleted_at').nullable()
      table.index(['room_id', 'id'])
    })

    this.schema.createTable('room_timers', (table) => {
      table
        .integer('room_id')
        .unsigned()
        .notNullable()
        .primary()
        .references('id')
        .inTable('rooms')
        .onDelete('CASCADE')
      table.bigInteger('version').notNullable().defaultTo(0)
      table.string('status', 16).notNullable()
      table.integer('focus_seconds').notNullable()
      table.integer('break_seconds').notNullable()
      /* Running: when the first focus phase began (shifted by pauses). Stopped: null. */
      table.bigInteger('anchor_at').nullable()
      /* Paused: how far into the cycles it was. */
      table.bigInteger('elapsed_ms').notNullable().defaultTo(0)
      table
        .integer('updated_by')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.bigInteger('updated_at').notNullable()
    })
  }

  async down() {
    this.schema.dropTable('room_timers')
    this.schema.dropTable('room_messages')
    this.schema.dropTable('room_members')
    this.schema.dropTable('rooms')
  }
}
