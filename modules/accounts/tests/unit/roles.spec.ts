import { test } from '@japa/runner'
import { assignableRoles, can, grant, permissionsOf } from '#accounts/services/roles'

test.group('Roles', () => {
  test('owners may do everything admins may, and delete the company', ({ assert }) => {
    for (const permission of permissionsOf('admin'))
      assert.isTrue(can('owner', permission), permission)
    assert.isTrue(can('owner', 'company:delete'))
    assert.isFalse(can('admin', 'company:delete'))
  })

  test('members may view the team and create their own tokens, nothing more', ({ assert }) => {
    assert.deepEqual(permissionsOf('member'), ['members:view', 'tokens:create'])
    assert.isFalse(can('member', 'members:invite'))
    assert.isFalse(can(null, 'members:view'))
  })

  test('only owners hand out the owner role', ({ assert }) => {
    assert.include(assignableRoles('owner'), 'owner')
    assert.notInclude(assignableRoles('admin'), 'owner')
  })

  test('other modules add permissions to roles', ({ assert }) => {
    grant('test:thing', ['owner', 'admin'])
    assert.isTrue(can('admin', 'test:thing'))
    assert.isFalse(can('member', 'test:thing'))
  })
})
