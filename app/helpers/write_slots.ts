import db from '@adonisjs/lucid/services/db'
import { isSqliteDialect } from '#app/helpers/sqlite_statements'

/*
| How many group-commit transactions a module may run at once on the primary connection. Two
| modules commit in groups (the credits ledger and telemetry ingestion): on SQLite each gets one
| slot (one writer); on PostgreSQL and MySQL each may hold 30% of the pool, so together they
| leave at least 40% of the connections for everything else (the API's token checks, pages).
*/
export function isSqliteConnection() {
  return isSqliteDialect(db.connection(db.primaryConnectionName).dialect.name)
}

export function writerSlots() {
  if (isSqliteConnection()) return 1
  const max = Number(db.manager.get(db.primaryConnectionName)?.config.pool?.max ?? 10)
  return Math.max(1, Math.floor((max * 3) / 10))
}
