import { test } from '@japa/runner'
import { fingerprint, normalizeMessage, topFrames } from '#telemetry/services/fingerprint'
import { compareVersions } from '#telemetry/services/versions'
import { rolloutBucket } from '#telemetry/services/releases'

test.group('Telemetry fingerprints', () => {
  test('replaces the variable parts of a message', ({ assert }) => {
    assert.equal(
      normalizeMessage(
        'User 42 not found in "main" at /home/ann/app/x.db (0xdeadbeef) 9b2c1f9e-1d2c-4c5b-9a8e-0a1b2c3d4e5f'
      ),
      'User <n> not found in <str> at <path> (<hex>) <uuid>'
    )
  })

  test('reads V8, Firefox and Python frames without line numbers', ({ assert }) => {
    assert.deepEqual(
      topFrames('Error: x\n    at foo (/opt/app/src/a.js:1:2)\n    at /opt/app/b.js:3:4'),
      ['foo src/a.js', '<anonymous> app/b.js']
    )
    assert.deepEqual(topFrames('foo@https://x.test/assets/app.js:10:2'), ['foo assets/app.js'])
    assert.deepEqual(topFrames('Traceback:\n  File "/usr/lib/app/main.py", line 10, in run'), [
      'run app/main.py',
    ])
  })

  test('is stable across line numbers and install folders, and differs by type', ({ assert }) => {
    const one = fingerprint('TypeError', 'x is 1', 'at f (C:\\Users\\a\\app\\src\\m.js:1:1)')
    const two = fingerprint('TypeError', 'x is 2', 'at f (D:\\Other\\app\\src\\m.js:99:7)')
    assert.equal(one.fingerprint, two.fingerprint)
    assert.notEqual(one.fingerprint, fingerprint('RangeError', 'x is 1', null).fingerprint)
  })

  test('compares versions as semver, then by numbers', ({ assert }) => {
    assert.isAbove(compareVersions('1.10.0', '1.9.9'), 0)
    assert.isBelow(compareVersions('2.0.0-beta.1', '2.0.0'), 0)
    assert.isAbove(compareVersions('2024.11', '2024.2'), 0)
    assert.equal(compareVersions('1.0.0', '1.0.0'), 0)
  })

  test('rollout buckets are stable and spread evenly', ({ assert }) => {
    assert.equal(
      rolloutBucket('9b2c1f9e-1d2c-4c5b-9a8e-0a1b2c3d4e5f', '1.5.0'),
      rolloutBucket('9B2C1F9E-1D2C-4C5B-9A8E-0A1B2C3D4E5F', '1.5.0')
    )
    const counts = new Array(10).fill(0)
    for (let i = 0; i < 10_000; i++) counts[Math.floor(rolloutBucket(`id-${i}`, '1.5.0') / 10)]++
    for (const count of counts) assert.isAbove(count, 850)
  })
})
