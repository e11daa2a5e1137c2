import { BaseSchema } from '@adonisjs/lucid/schema'

/*
| Company files (docs/adr/0011-files.md). The bytes live on the configured disk under
| `companies/<company id>/<uuid>`; this row is what Tandem knows about them, with the sha256
| `files:verify` checks the storage against. Times are milliseconds since the epoch.
*/
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('files', (table) => {
      table.bigIncrements('id')
      table.string('uuid', 36).notNullable().unique()
      table
        .integer('company_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('companies')
        .onDelete('CASCADE')
      table
        .integer('uploaded_by')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.string('name', 255).notNullable()
      table.string('mime', 255).notNullable()
      table.bigInteger('size').notNullable()
      table.string('sha256', 64).notNullable()
      table.string('disk', 16).notNullable()
      table.string('storage_key', 255).notNullable()
      /* active, then deleted (hidden, purged after FILES_PURGE_AFTER_DAYS). */
      table.string('status', 16).notNullable()
      table.bigInteger('deleted_at').nullable()
      table.bigInteger('created_at').notNullable()
      table.index(['company_id', 'status', 'id'])
      table.index(['status', 'deleted_at'])
    })
  }

  async down() {
    this.schema.dropTable('files')
  }
}
