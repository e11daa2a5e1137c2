import db from '@adonisjs/lucid/services/db'

/*
| For tests that commit for real (concurrency, crashes, other modules' races): removes a
| company's credits, children first, since ledger rows reference grants and holds.
*/
export async function deleteCompanyCredits(companyId: number) {
  const grants = db.from('credit_grants').where('company_id', companyId).select('id')
  const holds = db.from('credit_holds').where('company_id', companyId).select('id')
  await db.from('credit_allocations').whereIn('grant_id', grants).delete()
  await db.from('credit_hold_grants').whereIn('hold_id', holds).delete()
  for (const table of ['credit_entries', 'credit_grants', 'credit_holds', 'credit_accounts'])
    await db.from(table).where('company_id', companyId).delete()
}
