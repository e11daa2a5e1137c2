import { test } from '@japa/runner'
import { http } from '#config/app'

/* Only proxies on loopback or private networks may tell the app a client's address. */
test.group('Trusted proxies', () => {
  test('believes loopback and private-network proxies, not the internet', ({ assert }) => {
    const trusted = http.trustProxy as (address: string, hop: number) => boolean
    assert.isTrue(trusted('127.0.0.1', 0))
    assert.isTrue(trusted('172.18.0.5', 0))
    assert.isTrue(trusted('10.0.0.2', 0))
    assert.isFalse(trusted('203.0.113.9', 0))
  })
})
