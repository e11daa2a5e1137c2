import { BaseSchema } from '@adonisjs/lucid/schema'

/*
| Files attached to chat messages. The file stays the files module's (no foreign key across
| modules: either may be switched off); name, size and type are copied so the chat shows them
| without asking, and a download goes through the files module, which checks the company again.
*/
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('room_message_files', (table) => {
      table
        .bigInteger('message_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('room_messages')
        .onDelete('CASCADE')
      table.bigInteger('file_id').unsigned().notNullable()
      table.integer('position').notNullable()
      table.string('name', 255).notNullable()
      table.bigInteger('size').notNullable()
      table.string('mime', 255).notNullable()
      table.primary(['message_id', 'file_id'])
    })
  }

  async down() {
    this.schema.dropTable('room_message_files')
  }
}
