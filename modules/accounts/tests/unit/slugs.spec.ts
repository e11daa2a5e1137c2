import { test } from '@japa/runner'
import { slugify, SLUG_PATTERN } from '#accounts/services/slugs'

test.group('Company slugs', () => {
  test('turn names into lowercase ASCII with single dashes', ({ assert }) => {
    assert.equal(slugify('Acme Rendering GmbH'), 'acme-rendering-gmbh')
    assert.equal(slugify('  Café — Zürich & Co.  '), 'cafe-zurich-co')
    assert.equal(slugify('***'), 'company')
    assert.isAtMost(slugify('x'.repeat(200)).length, 60)
    for (const name of ['Acme', 'Ünïcødé', '42 Labs', '--a--b--'])
      assert.match(slugify(name), SLUG_PATTERN)
  })
})
