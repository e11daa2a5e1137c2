import { test } from '@japa/runner'
import { defineModules, ModulesConfigError } from '#app/modules/define_modules'

const modules = {
  accounts: { description: 'a', required: true },
  credits: { description: 'c', dependsOn: ['accounts'] },
  billing: { description: 'b', dependsOn: ['accounts', 'credits'] },
}

test.group('Module configuration', () => {
  test('enables every module by default, in catalog order', ({ assert }) => {
    assert.deepEqual(defineModules({ modules }).enabled, ['accounts', 'credits', 'billing'])
  })

  test('applies the allow-list, then the deny-list, keeping required modules', ({ assert }) => {
    assert.deepEqual(defineModules({ modules, only: 'credits' }).enabled, ['accounts', 'credits'])
    assert.deepEqual(defineModules({ modules, disabled: 'billing, accounts' }).enabled, [
      'accounts',
      'credits',
    ])
  })

  test('refuses an unknown module name', ({ assert }) => {
    assert.throws(() => defineModules({ modules, disabled: 'biling' }), /Unknown module "biling"/)
  })

  test('refuses enabling a module whose dependency is off', ({ assert }) => {
    const attempt = () => defineModules({ modules, disabled: 'credits' })
    assert.throws(attempt, /Module "billing" needs "credits", which is disabled/)
    try {
      attempt()
    } catch (error) {
      assert.instanceOf(error, ModulesConfigError)
    }
  })
})
