import db from '@adonisjs/lucid/services/db'

/*
| How many group-commit transactions a module may run at once on the primary connection (the
| credits ledger and telemetry ingestion both commit in groups): SQLite has one writer, so one;
| PostgreSQL and MySQL take half the pool, leaving connections for reads (the API's token checks,
| pages).
*/
export function isSqliteConnection() {
  return ['better-sqlite3', 'sqlite3', 'libsql'].includes(
    db.connection(db.primaryConnectionName).dialect.name
  )
}

export function writerSlots() {
  if (isSqliteConnection()) return 1
  const max = Number(db.manager.get(db.primaryConnectionName)?.config.pool?.max ?? 10)
  return Math.max(1, Math.floor(max / 2))
}
