import { EnvLoader, EnvParser } from '@adonisjs/core/env'

/*
| Reads one variable the way the app will see it (process env first, then the .env files) without
| writing anything into process.env. Used before the app boots: the Ace command loader and
| `modules:list` must know which modules are on.
*/
export async function readEnv(appRoot: URL, key: string) {
  if (process.env[key] !== undefined) return process.env[key]
  for (const { contents } of await new EnvLoader(appRoot).load()) {
    if (!contents.trim()) continue
    const values = await new EnvParser(contents, appRoot).parse()
    const value = values[key]
    if (value !== undefined) return value
  }
}

/* The module switches as the app will resolve them, read before boot. */
export async function modulesFromEnv(appRoot: URL) {
  const { catalog } = await import('#config/modules')
  const { defineModules } = await import('#app/modules/define_modules')
  return defineModules({
    modules: catalog,
    only: await readEnv(appRoot, 'TANDEM_MODULES'),
    disabled: await readEnv(appRoot, 'TANDEM_MODULES_DISABLED'),
  })
}
