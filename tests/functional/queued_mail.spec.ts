import { Readable } from 'node:stream'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import mail from '@adonisjs/mail/services/main'
import { queueMailThrough } from '#app/mail/queued_mail'
import { isolate } from '#tests/helpers/database'
import { DRIVERS, makeQueue, waitFor } from '#tests/helpers/queue'

/*
| mail.sendLater goes through Tandem's queue (job app/send_mail on the `mail` queue): nothing is
| sent until a worker runs the job, attachments survive the trip, a failing transport means a
| retry later (the mail is kept), and a mail that cannot be queued is refused at once.
*/
type Sent = { subject: string; to: string; json: any }

async function captureSent() {
  const emitter = await app.container.make('emitter')
  const sent: Sent[] = []
  const listener = (event: any) =>
    sent.push({
      subject: event.message.subject,
      to: event.message.to?.[0]?.address ?? event.message.to?.[0],
      json: JSON.parse(event.response.original.message),
    })
  emitter.on('mail:sent', listener)
  return { sent, stop: () => emitter.off('mail:sent', listener) }
}

test.group('Queued mail: wiring', (group) => {
  isolate(group)

  test('mail.sendLater puts a job on the app queue instead of sending', async ({ assert }) => {
    const capture = await captureSent()
    const emitter = await app.container.make('emitter')
    let queued: any = null
    const onQueued = (event: any) => (queued = event.metaData)
    emitter.on('mail:queued', onQueued)
    try {
      await mail.sendLater((message) => {
        message.to('wired@example.test').subject('Wired').text('Hello')
      })
      assert.isString(queued?.id)
      assert.lengthOf(capture.sent, 0)
      /* The job is really there, waiting on the `mail` queue: it can be discarded once. */
      const queue = await app.container.make('queue')
      assert.isTrue(await queue.discard('mail', queued.id))
      assert.isFalse(await queue.discard('mail', queued.id))
    } finally {
      emitter.off('mail:queued', onQueued)
      capture.stop()
    }
  })
})

for (const { kind, skip } of DRIVERS) {
  test.group(`Queued mail on ${kind}`, (group) => {
    isolate(group)
    let harness: Awaited<ReturnType<typeof makeQueue>> | null = null
    group.each.setup(async () => {
      harness = await makeQueue(kind)
      const manager = await app.container.make('mail.manager')
      queueMailThrough(manager, async () => harness!.queue)
      return async () => {
        queueMailThrough(manager, () => app.container.make('queue'))
        await harness?.close()
        harness = null
      }
    })

    test('a worker sends it, attachment bytes intact', async ({ assert }) => {
      const capture = await captureSent()
      try {
        await mail.sendLater((message) => {
          message
            .to('ada@example.test')
            .subject('Your export')
            .text('Attached.')
            .attachData(Buffer.from('id,name\n1,Ada\n'), { filename: 'export.csv' })
        })
        await new Promise((resolve) => setTimeout(resolve, 150))
        assert.lengthOf(capture.sent, 0, 'nothing is sent before a worker runs the job')
        assert.equal((await harness!.queue.driver.counts('mail')).waiting, 1)

        await harness!.work(1, ['mail'])
        await waitFor(async () => capture.sent.length === 1, 'the mail to be sent')
        const [sent] = capture.sent
        assert.equal(sent.subject, 'Your export')
        assert.equal(sent.to, 'ada@example.test')
        const [attachment] = sent.json.attachments
        assert.equal(attachment.filename, 'export.csv')
        assert.equal(
          Buffer.from(attachment.content, attachment.encoding ?? 'utf8').toString(),
          'id,name\n1,Ada\n'
        )
        await waitFor(
          async () => (await harness!.queue.driver.counts('mail')).completed === 1,
          'the job to complete'
        )
      } finally {
        capture.stop()
      }
    }).skip(Boolean(skip), skip ?? '')

    test('a failing transport keeps the mail for a retry with backoff', async ({ assert }) => {
      const capture = await captureSent()
      try {
        /* The smtp mailer points at localhost:587 in tests, where nothing listens. */
        await mail.use('smtp').sendLater((message) => {
          message.to('bob@example.test').subject('Will retry').text('Later.')
        })
        await harness!.work(1, ['mail'])
        const counts = await waitFor(async () => {
          const now = await harness!.queue.driver.counts('mail')
          return now.delayed === 1 ? now : null
        }, 'the job to wait for its retry')
        assert.equal(counts.failed, 0)
        assert.equal(counts.completed, 0)
        assert.lengthOf(capture.sent, 0)
      } finally {
        capture.stop()
      }
    }).skip(Boolean(skip), skip ?? '')

    test('a mail with a stream attachment is refused and nothing is queued', async ({ assert }) => {
      await assert.rejects(
        () =>
          mail.sendLater((message) => {
            message
              .to('eve@example.test')
              .subject('Stream')
              .attachData(Readable.from(['x']), { filename: 'x.txt' })
          }),
        /is a stream/
      )
      const counts = await harness!.queue.driver.counts('mail')
      assert.equal(counts.waiting + counts.delayed, 0)
    }).skip(Boolean(skip), skip ?? '')
  })
}
