import db from '@adonisjs/lucid/services/db'

/*
| `credits:audit`: recomputes every company's credits from the append-only log and compares
| with the current state. Each check is one aggregate query over all companies, so it runs the
| same on SQLite, PostgreSQL and MariaDB and stays quick with many companies.
*/
export type Violation = { companyId: number; check: string; detail: string }

type Sums = Map<number, Record<string, number>>

async function sums(query: any, columns: string[]): Promise<Sums> {
  const found = await query
  return new Map(
    found.map((row: any) => [
      Number(row.company_id),
      Object.fromEntries(columns.map((column) => [column, Number(row[column] ?? 0)])),
    ])
  )
}

export class CreditsAudit {
  async run(): Promise<{ companies: number; entries: number; violations: Violation[] }> {
    const violations: Violation[] = []
    const flag = (companyId: number, check: string, detail: string) =>
      violations.push({ companyId, check, detail })

    const accounts = await sums(
      db.from('credit_accounts').select('company_id', 'balance', 'held'),
      ['balance', 'held']
    )
    const log = await sums(
      db
        .from('credit_entries')
        .select('company_id')
        .sum('amount as balance')
        .sum('held_change as held')
        .min('balance_after as min_balance')
        .count('* as entries')
        .groupBy('company_id'),
      ['balance', 'held', 'min_balance', 'entries']
    )
    const grants = await sums(
      db
        .from('credit_grants')
        .select('company_id')
        .sum('remaining as remaining')
        .groupBy('company_id'),
      ['remaining']
    )
    const holds = await sums(
      db
        .from('credit_holds')
        .where('status', 'active')
        .select('company_id')
        .sum('amount as held')
        .groupBy('company_id'),
      ['held']
    )

    const companies = new Set([...accounts.keys(), ...log.keys()])
    for (const companyId of companies) {
      const account = accounts.get(companyId) ?? { balance: 0, held: 0 }
      const entries = log.get(companyId) ?? { balance: 0, held: 0, min_balance: 0 }
      const remaining = grants.get(companyId)?.remaining ?? 0
      const activeHeld = holds.get(companyId)?.held ?? 0
      if (account.balance !== entries.balance)
        flag(companyId, 'balance = sum of entries', `${account.balance} ≠ ${entries.balance}`)
      if (account.held !== entries.held)
        flag(companyId, 'held = sum of held changes', `${account.held} ≠ ${entries.held}`)
      if (account.held !== activeHeld)
        flag(companyId, 'held = active holds', `${account.held} ≠ ${activeHeld}`)
      if (account.balance < 0 || entries.min_balance < 0)
        flag(companyId, 'no negative balance', `lowest balance ${entries.min_balance}`)
      if (account.held > account.balance)
        flag(companyId, 'held ≤ balance', `${account.held} > ${account.balance}`)
      if (remaining + account.held !== account.balance)
        flag(
          companyId,
          'grant remainders + held = balance',
          `${remaining} + ${account.held} ≠ ${account.balance}`
        )
    }

    for (const row of await brokenChains())
      flag(Number(row.company_id), 'each entry follows the previous one', `entry ${row.id}`)
    for (const row of await brokenGrants())
      flag(Number(row.company_id), 'grant remaining = amount + allocations', `grant ${row.id}`)
    for (const row of await brokenHolds())
      flag(Number(row.company_id), 'hold reservations match the hold', `hold ${row.id}`)

    const entries = [...log.values()].reduce((total, row) => total + row.entries, 0)
    return { companies: companies.size, entries, violations }
  }
}

/* balance_after and held_after of each entry = the previous entry's + this one's change. */
function brokenChains() {
  return db
    .from(
      db
        .from('credit_entries')
        .select('id', 'company_id', 'amount', 'held_change', 'balance_after', 'held_after')
        .select(
          db.raw('LAG(balance_after) OVER (PARTITION BY company_id ORDER BY id) AS prev_balance'),
          db.raw('LAG(held_after) OVER (PARTITION BY company_id ORDER BY id) AS prev_held')
        )
        .as('chain')
    )
    .whereRaw('COALESCE(prev_balance, 0) + amount <> balance_after')
    .orWhereRaw('COALESCE(prev_held, 0) + held_change <> held_after')
    .orWhereRaw('held_after > balance_after')
    .select('id', 'company_id')
    .limit(1000)
}

async function brokenGrants() {
  return rows(`
    SELECT g.id, g.company_id FROM credit_grants g
    LEFT JOIN (SELECT grant_id, SUM(amount) AS moved FROM credit_allocations GROUP BY grant_id) m
      ON m.grant_id = g.id
    WHERE g.amount + COALESCE(m.moved, 0) <> g.remaining OR g.remaining < 0 OR g.remaining > g.amount
    LIMIT 1000`)
}

/* An active hold's reservations add up to it; a settled one captured no more than it held. */
async function brokenHolds() {
  return rows(`
    SELECT h.id, h.company_id FROM credit_holds h
    LEFT JOIN (SELECT hold_id, SUM(amount) AS reserved FROM credit_hold_grants GROUP BY hold_id) r
      ON r.hold_id = h.id
    WHERE COALESCE(r.reserved, 0) <> h.amount OR h.captured > h.amount
      OR (h.status = 'active' AND h.captured <> 0)
    LIMIT 1000`)
}

/* rawQuery answers rows on PostgreSQL, [rows, fields] on MySQL and rows on SQLite. */
async function rows(sql: string): Promise<any[]> {
  const result = await db.rawQuery(sql)
  if (Array.isArray(result)) return Array.isArray(result[0]) ? result[0] : result
  return result.rows
}
