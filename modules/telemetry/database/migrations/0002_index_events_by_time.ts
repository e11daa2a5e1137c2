import { BaseSchema } from '@adonisjs/lucid/schema'

/*
| The logs viewer's time range (`from`/`to`) and the exports of a window: without an index on
| the event's time, a window days back walked every newer event first (measured over millions of
| events in benchmarks/README.md, Telemetry).
*/
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('telemetry_events', (table) => {
      table.index(['occurred_at'])
    })
  }

  async down() {
    this.schema.alterTable('telemetry_events', (table) => {
      table.dropIndex(['occurred_at'])
    })
  }
}
