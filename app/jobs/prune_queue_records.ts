import { Job } from '#app/queue/job'
import { Heartbeats } from '#app/queue/heartbeats'
import { pruneRuns } from '#app/queue/scheduler'

/* Forgets schedule ticks older than a week and workers unseen for a day. */
export default class PruneQueueRecords extends Job {
  static schedule = '41 * * * *'

  async handle() {
    await pruneRuns()
    await new Heartbeats().prune()
    return null
  }
}
