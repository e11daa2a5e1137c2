import { test } from '@japa/runner'
import { ESLint } from 'eslint'
import app from '@adonisjs/core/services/app'

/* The lint rule that keeps modules apart (eslint.config.js, docs/modules.md) really fires. */
async function restrictedImports(filePath: string, source: string) {
  const eslint = new ESLint({ cwd: app.makePath() })
  const [result] = await eslint.lintText(source, { filePath: app.makePath(filePath) })
  return result.messages
    .filter((message) => message.ruleId === 'no-restricted-imports')
    .map((message) => message.message)
}

test.group('Module boundaries', () => {
  test('refuses importing another module’s internals', async ({ assert }) => {
    const messages = await restrictedImports(
      'modules/admin/services/example.ts',
      "import Membership from '#accounts/models/membership'\nexport default Membership\n"
    )
    assert.lengthOf(messages, 1)
    assert.match(messages[0], /only through its services\/ or events\//)
  })

  test('refuses reaching into another module by relative path', async ({ assert }) => {
    const messages = await restrictedImports(
      'modules/admin/services/example.ts',
      "import { Tenant } from '../../accounts/services/tenant.js'\nexport default Tenant\n"
    )
    assert.lengthOf(messages, 1)
    assert.match(messages[0], /#alias/)
  })

  test('refuses a kernel file importing a module', async ({ assert }) => {
    const messages = await restrictedImports(
      'app/helpers/example.ts',
      "import { UsersService } from '#accounts/services/users_service'\nexport default UsersService\n"
    )
    assert.lengthOf(messages, 1)
  })

  test('allows services, events and the shared User and Company models', async ({ assert }) => {
    const source = [
      "import { UsersService } from '#accounts/services/users_service'",
      "import UserDeleted from '#accounts/events/user_deleted'",
      "import User from '#accounts/models/user'",
      "import Company from '#accounts/models/company'",
      "import AuditLog from '#admin/models/audit_log'",
      'export default [UsersService, UserDeleted, User, Company, AuditLog]',
    ].join('\n')
    assert.deepEqual(
      await restrictedImports('modules/admin/services/example.ts', source + '\n'),
      []
    )
  })
})
