import { BaseSchema } from '@adonisjs/lucid/schema'
import { isSqliteDialect } from '#app/helpers/sqlite_statements'

/*
| The occurrences of an error issue are read by `issue_id = ?` (issue detail, the logs viewer's
| issue filter); most events are not errors and have no issue. A partial index keeps only the
| events that have one, so ingesting a usage event or a log no longer writes to it: on
| PostgreSQL, one of seven indexes fewer per such event (benchmarks/README.md, Telemetry on
| PostgreSQL). Every query on `issue_id` compares it with `=`, which implies IS NOT NULL, so
| PostgreSQL and SQLite use the partial index for all of them.
| PostgreSQL builds the new index CONCURRENTLY before dropping the old one, so ingestion keeps
| writing during a deployment (hence no transaction around this migration). MySQL and MariaDB
| have no partial indexes: the full index stays there.
*/
const FULL = 'telemetry_events_issue_id_id_index'
const PARTIAL = 'telemetry_events_grouped_errors_index'

export default class extends BaseSchema {
  static disableTransactions = true

  async up() {
    const dialect = this.db.dialect.name
    if (dialect === 'postgres') {
      this.schema.raw(
        `CREATE INDEX CONCURRENTLY IF NOT EXISTS ${PARTIAL} ON telemetry_events (issue_id, id) WHERE issue_id IS NOT NULL`
      )
      this.schema.raw(`DROP INDEX CONCURRENTLY IF EXISTS ${FULL}`)
    } else if (isSqliteDialect(dialect)) {
      this.schema.raw(
        `CREATE INDEX IF NOT EXISTS ${PARTIAL} ON telemetry_events (issue_id, id) WHERE issue_id IS NOT NULL`
      )
      this.schema.raw(`DROP INDEX IF EXISTS ${FULL}`)
    }
  }

  async down() {
    const dialect = this.db.dialect.name
    if (dialect === 'postgres') {
      this.schema.raw(
        `CREATE INDEX CONCURRENTLY IF NOT EXISTS ${FULL} ON telemetry_events (issue_id, id)`
      )
      this.schema.raw(`DROP INDEX CONCURRENTLY IF EXISTS ${PARTIAL}`)
    } else if (isSqliteDialect(dialect)) {
      this.schema.raw(`CREATE INDEX IF NOT EXISTS ${FULL} ON telemetry_events (issue_id, id)`)
      this.schema.raw(`DROP INDEX IF EXISTS ${PARTIAL}`)
    }
  }
}
