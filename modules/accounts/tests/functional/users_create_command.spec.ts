import { test } from '@japa/runner'
import ace from '@adonisjs/core/services/ace'
import Company from '#accounts/models/company'
import { isolate } from '#tests/helpers/database'
import UsersCreate from '#accounts/commands/users_create'

test.group('users:create', (group) => {
  isolate(group)
  group.each.setup(() => {
    ace.ui.switchMode('raw')
    return () => ace.ui.switchMode('normal')
  })

  test('prints the new ids and the company slug operators use in commands', async ({ assert }) => {
    const command = await ace.create(UsersCreate, [
      'slug-reader@example.test',
      '--password=correct horse battery',
      '--company=Acme Rendering GmbH',
      '--json',
    ])
    await command.exec()
    command.assertSucceeded()
    const output = JSON.parse(command.logger.getLogs().at(-1)!.message)
    const company = await Company.findOrFail(output.companyId)
    assert.equal(output.companySlug, company.slug)
    assert.match(output.companySlug, /^acme-rendering-gmbh(-\d+)?$/)
  })
})
