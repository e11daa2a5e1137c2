import { FsLoader } from '@adonisjs/core/ace'
import app from '@adonisjs/core/services/app'
import type { CommandMetaData } from '@adonisjs/core/types/ace'
import { modulesFromEnv } from '#app/modules/module_env'

/*
| Ace loader for the commands in modules/<m>/commands of every enabled module. Ace asks for the
| command list before the app boots, so the module switches are read from the .env files here,
| without writing them into process.env (child processes such as the test runner inherit it).
*/
const loaders = new Map<string, FsLoader<any>>()

export async function getMetaData(): Promise<CommandMetaData[]> {
  const { enabled } = await modulesFromEnv(app.appRoot)
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
