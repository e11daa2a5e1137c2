import { FsLoader } from '@adonisjs/core/ace'
import { EnvLoader, EnvParser } from '@adonisjs/core/env'
import app from '@adonisjs/core/services/app'
import type { CommandMetaData } from '@adonisjs/core/types/ace'
import { catalog } from '#config/modules'
import { defineModules } from '#app/modules/define_modules'

/*
| Ace loader for the commands in modules/<m>/commands of every enabled module. Ace asks for the
| command list before the app boots, so the module switches are read from the .env files here,
| without writing them into process.env (child processes such as the test runner inherit it).
*/
async function readEnv(key: string) {
  if (process.env[key] !== undefined) return process.env[key]
  for (const { contents } of await new EnvLoader(app.appRoot).load()) {
    if (!contents.trim()) continue
    const value = (await new EnvParser(contents, app.appRoot).parse())[key]
    if (value !== undefined) return value
  }
}

const loaders = new Map<string, FsLoader<any>>()

export async function getMetaData(): Promise<CommandMetaData[]> {
  const { enabled } = defineModules({
    modules: catalog,
    only: await readEnv('TANDEM_MODULES'),
    disabled: await readEnv('TANDEM_MODULES_DISABLED'),
  })
  const commands: CommandMetaData[] = []
  for (const name of enabled) {
    const loader = new FsLoader<any>(app.makePath('modules', name, 'commands'))
    for (const meta of await loader.getMetaData()) {
      loaders.set(meta.commandName, loader)
      commands.push(meta)
    }
  }
  return commands
}

export async function getCommand(meta: CommandMetaData) {
  return (await loaders.get(meta.commandName)?.getCommand(meta)) ?? null
}
