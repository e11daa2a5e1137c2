import { inject } from '@adonisjs/core'
import { Job } from '#app/queue/job'
import { FilesMaintenance } from '#files/services/maintenance'

/* Nightly: files deleted more than FILES_PURGE_AFTER_DAYS ago lose their bytes, then their rows. */
@inject()
export default class PurgeFiles extends Job {
  static schedule = '41 3 * * *'

  constructor(private maintenance: FilesMaintenance) {
    super()
  }

  async handle() {
    return this.maintenance.purge()
  }
}
