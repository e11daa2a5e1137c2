import { test } from '@japa/runner'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Message } from '@adonisjs/mail'
import { LogTransport } from '#app/mail/log_transport'

test.group('Local mail transport', () => {
  test('writes the rendered mail to a folder instead of sending it', async ({
    assert,
    cleanup,
  }) => {
    const directory = await mkdtemp(join(tmpdir(), 'tandem-mail-'))
    cleanup(() => rm(directory, { recursive: true, force: true }))

    const message = new Message()
    message.from('no-reply@tandem.local').to('ada@example.test').subject('Reset your password')
    message.text('Open https://tandem.test/reset-password/abc to continue').html('<p>reset</p>')

    const response = await new LogTransport({ directory }).send(message.toJSON().message)
    assert.deepEqual(response.envelope.to, ['ada@example.test'])

    const [file] = await readdir(directory)
    const stored = JSON.parse(await readFile(join(directory, file), 'utf8'))
    assert.equal(stored.subject, 'Reset your password')
    assert.include(stored.text, 'https://tandem.test/reset-password/abc')
  })
})
