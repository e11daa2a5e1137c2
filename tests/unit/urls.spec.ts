import { test } from '@japa/runner'
import { isLocalPath } from '#app/helpers/urls'

test.group('Redirect targets', () => {
  test('accepts paths on this site', ({ assert }) => {
    for (const path of ['/', '/dashboard', '/invitations/abc?x=1#top', '/companies/1/members']) {
      assert.isTrue(isLocalPath(path), path)
    }
  })

  test('refuses anything a browser would take off-site', ({ assert }) => {
    for (const path of [
      '//evil.example',
      '/\\evil.example/x',
      '/\\/evil.example',
      'https://evil.example',
      'javascript:alert(1)',
      '/\t/evil.example',
      '',
      null,
      42,
    ]) {
      assert.isFalse(isLocalPath(path), String(path))
    }
  })
})
