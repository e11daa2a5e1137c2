import { BaseSchema } from '@adonisjs/lucid/schema'

/*
| Tasks: jobs a person waits on (exports, imports, backups, desktop builds) with their progress,
| log lines and result. History is kept for TASKS_RETENTION_DAYS (tasks/prune_tasks).
*/
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('tasks', (table) => {
      table.increments('id')
      table
        .integer('company_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('companies')
        .onDelete('CASCADE')
      table
        .integer('user_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.string('title', 200).notNullable()
      table.string('job_name', 191).notNullable()
      table.string('job_id', 64).notNullable()
      table.string('queue', 64).notNullable()
      /* queued → running → completed | failed | cancelled */
      table.string('status', 16).notNullable()
      table.integer('progress').notNullable().defaultTo(0)
      table.string('message', 500).nullable()
      table.integer('attempts').notNullable().defaultTo(0)
      table.text('result').nullable()
      table.string('result_file', 500).nullable()
      table.string('result_file_name', 255).nullable()
      table.bigInteger('result_file_size').nullable()
      table.string('error_code', 64).nullable()
      table.text('error').nullable()
      table.dateTime('cancel_requested_at', { useTz: true }).nullable()
      table.dateTime('started_at', { useTz: true }).nullable()
      table.dateTime('finished_at', { useTz: true }).nullable()
      table.dateTime('created_at', { useTz: true }).notNullable()
      table.dateTime('updated_at', { useTz: true }).notNullable()
      table.index(['company_id', 'created_at'])
      table.index(['status', 'finished_at'])
      table.index(['job_id'])
    })

    this.schema.createTable('task_logs', (table) => {
      table.increments('id')
      table
        .integer('task_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('tasks')
        .onDelete('CASCADE')
      table.string('level', 8).notNullable()
      table.text('message').notNullable()
      table.dateTime('created_at', { useTz: true }).notNullable()
      table.index(['task_id', 'id'])
    })
  }

  async down() {
    this.schema.dropTable('task_logs')
    this.schema.dropTable('tasks')
  }
}
