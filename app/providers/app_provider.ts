import type { ApplicationService } from '@adonisjs/core/types'
import { Realtime } from '#app/realtime/realtime'

/* Shared kernel bindings available to every module and process. */
export default class AppProvider {
  constructor(protected app: ApplicationService) {}

  register() {
    this.app.container.singleton(Realtime, () => new Realtime(this.app))
  }
}
