import type { ApplicationService } from '@adonisjs/core/types'
import modulesConfig from '#config/modules'
import { moduleRegistry } from '#app/modules/registry'
import type { ModuleProvider, ModuleProviderClass } from '#app/modules/module_provider'
import { Realtime } from '#app/realtime/realtime'

/*
| Loads the provider of every enabled module and forwards the application lifecycle to them.
| Provider classes are imported at module evaluation (top-level await) because the framework
| calls `register()` without awaiting it.
*/
const loaded: Array<[string, ModuleProviderClass]> = await Promise.all(
  modulesConfig.enabled.map(async (name) => {
    const file = await import(`../../modules/${name}/${name}_provider.js`)
    return [name, file.default as ModuleProviderClass] as [string, ModuleProviderClass]
  })
)

export default class ModulesProvider {
  #providers: ModuleProvider[]

  constructor(protected app: ApplicationService) {
    this.#providers = loaded.map(([name, Provider]) => {
      const provider = new Provider(app)
      moduleRegistry.add(name, provider)
      return provider
    })
  }

  register() {
    this.app.container.singleton('modules', () => moduleRegistry)
    for (const provider of this.#providers) provider.register?.()
  }

  async boot() {
    for (const provider of this.#providers) await provider.boot?.()
    const realtime = await this.app.container.make(Realtime)
    for (const provider of this.#providers) provider.realtime?.(realtime)
  }

  async start() {
    for (const provider of this.#providers) await provider.start?.()
  }

  async ready() {
    for (const provider of this.#providers) await provider.ready?.()
  }

  async shutdown() {
    for (const provider of [...this.#providers].reverse()) await provider.shutdown?.()
  }
}

declare module '@adonisjs/core/types' {
  interface ContainerBindings {
    modules: typeof moduleRegistry
  }
}
