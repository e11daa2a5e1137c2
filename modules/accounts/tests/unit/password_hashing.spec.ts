import { test } from '@japa/runner'
import { Scrypt } from '@adonisjs/core/hash/drivers/scrypt'
import hash from '@adonisjs/core/services/hash'
import { OWASP_SCRYPT } from '#config/hash'

test.group('Password hashing', () => {
  test('production hashes use scrypt at OWASP parameters (N=2^17, r=8, p=1)', async ({
    assert,
  }) => {
    const hashed = await new Scrypt(OWASP_SCRYPT).make('correct horse battery staple')
    assert.match(hashed, /^\$scrypt\$n=131072,r=8,p=1\$/)
    assert.isTrue(await new Scrypt(OWASP_SCRYPT).verify(hashed, 'correct horse battery staple'))
  }).timeout(20_000)

  test('a hash made with other parameters is flagged for upgrade at the next login', async ({
    assert,
  }) => {
    const weak = await hash.make('secret secret')
    assert.isTrue(new Scrypt(OWASP_SCRYPT).needsReHash(weak))
  })
})
