/*
| Shared boot for the three entrypoints (server, console, tests): one place that knows the app
| root, how files are imported and which signals end the process.
*/
import 'reflect-metadata'
import { Ignitor, prettyPrintError } from '@adonisjs/core'

const APP_ROOT = new URL('../', import.meta.url)

function importer(filePath: string) {
  if (filePath.startsWith('./') || filePath.startsWith('../')) {
    return import(new URL(filePath, APP_ROOT).href)
  }
  return import(filePath)
}

export function createIgnitor() {
  return new Ignitor(APP_ROOT, { importer }).tap((app) => {
    app.booting(async () => {
      await import('#start/env')
    })
    app.listen('SIGTERM', () => app.terminate())
    app.listen('SIGINT', () => app.terminate())
  })
}

/* Configuration mistakes (a bad .env value, an unknown module) print as one clear line. */
export function printBootError(error: any) {
  process.exitCode = 1
  if (error?.name === 'ModulesConfigError' || error?.code === 'E_INVALID_ENV_VARIABLES') {
    console.error(`\n  ${error.message}\n`)
    if (error.help) console.error(error.help)
    return
  }
  return prettyPrintError(error)
}
