import type { HttpContext } from '@adonisjs/core/http'
import type { ModuleProvider, NavigationEntry } from '#app/modules/module_provider'

/*
| The enabled modules' providers, in dependency order. Filled by the modules provider at boot;
| read by start/routes.ts (routes), the Inertia middleware (navigation) and the realtime server.
*/
export class ModuleRegistry {
  #providers = new Map<string, ModuleProvider>()

  add(name: string, provider: ModuleProvider) {
    this.#providers.set(name, provider)
  }

  names() {
    return [...this.#providers.keys()]
  }

  providers() {
    return [...this.#providers.values()]
  }

  has(name: string) {
    return this.#providers.has(name)
  }

  async loadRoutes() {
    for (const provider of this.providers()) {
      await provider.routes?.()
    }
  }

  async sharedProps(ctx: HttpContext) {
    const props: Record<string, unknown> = {}
    for (const provider of this.providers()) Object.assign(props, await provider.share?.(ctx))
    return props
  }

  navigation(): NavigationEntry[] {
    return this.providers()
      .flatMap((provider) => provider.navigation)
      .sort((a, b) => (a.order ?? 100) - (b.order ?? 100))
  }
}

export const moduleRegistry = new ModuleRegistry()
