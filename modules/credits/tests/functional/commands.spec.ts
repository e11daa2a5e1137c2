import { test } from '@japa/runner'
import ace from '@adonisjs/core/services/ace'
import db from '@adonisjs/lucid/services/db'
import { isolate } from '#tests/helpers/database'
import { createCompanyWithOwner } from '#accounts/database/factories/user_factory'
import CreditsGrant from '#credits/commands/credits_grant'
import CreditsAuditCommand from '#credits/commands/credits_audit'
import { entries, grant } from '#credits/tests/helpers/credits'

test.group('Credits commands', (group) => {
  isolate(group)
  group.each.setup(() => {
    ace.ui.switchMode('raw')
    return () => ace.ui.switchMode('normal')
  })

  test('credits:grant adds a grant with an expiry', async ({ assert }) => {
    const { company } = await createCompanyWithOwner()
    const command = await ace.create(CreditsGrant, [
      String(company.id),
      '500',
      '--expires=30d',
      '--free',
      '--reason=Launch promotion',
      '--json',
    ])
    await command.exec()
    command.assertSucceeded()
    const output = JSON.parse(command.logger.getLogs().at(-1)!.message)
    assert.equal(output.balance, 500)
    const [entry] = await entries(company.id, 'grant')
    assert.equal(entry.reason, 'Launch promotion')
    const row = await db.from('credit_grants').where('entry_id', entry.id).first()
    assert.equal(row.kind, 'free')
    assert.approximately(Number(row.expires_at), Date.now() + 30 * 86_400_000, 60_000)
  })

  test('credits:grant finds a company by its slug', async ({ assert }) => {
    const { company } = await createCompanyWithOwner()
    await company.merge({ name: 'Renamed Later' }).save()
    assert.match(company.slug!, /^[a-z0-9-]+$/)
    const command = await ace.create(CreditsGrant, [company.slug!, '7', '--reason=By slug'])
    await command.exec()
    command.assertSucceeded()
    const [entry] = await entries(company.id, 'grant')
    assert.equal(Number(entry.amount), 7)
  })

  test('credits:grant refuses a bad amount, a past expiry or an unknown company', async ({
    assert,
  }) => {
    const { company } = await createCompanyWithOwner()
    for (const args of [
      [String(company.id), '0'],
      [String(company.id), '1.5'],
      [String(company.id), '10', '--expires=2001-01-01'],
      ['999999', '10'],
      ['no-such-company', '10'],
    ]) {
      const command = await ace.create(CreditsGrant, args)
      await command.exec()
      command.assertFailed()
    }
    assert.lengthOf(await entries(company.id), 0)
  })

  test('credits:audit passes on a consistent ledger and reports a tampered one', async ({
    assert,
  }) => {
    const { company } = await createCompanyWithOwner()
    await grant(company.id, 50)
    const ok = await ace.create(CreditsAuditCommand, [])
    await ok.exec()
    ok.assertSucceeded()

    await db.from('credit_accounts').where('company_id', company.id).update({ balance: 60 })
    const broken = await ace.create(CreditsAuditCommand, ['--json'])
    await broken.exec()
    broken.assertFailed()
    const report = JSON.parse(broken.logger.getLogs().at(-1)!.message)
    const checks = report.violations
      .filter((v: any) => v.companyId === company.id)
      .map((v: any) => v.check)
    assert.includeMembers(checks, ['balance = sum of entries', 'grant remainders + held = balance'])
  })
})
