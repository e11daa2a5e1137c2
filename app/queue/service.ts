import app from '@adonisjs/core/services/app'
import type { QueueService } from '#app/queue/queue'

/* `import queue from '#app/queue/service'` — the app's queue, once the app has booted. */
let queue: QueueService

await app.booted(async () => {
  queue = await app.container.make('queue')
})

export { queue as default }
