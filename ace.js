/*
| JavaScript entrypoint for Ace: registers the TypeScript loader, then boots the console.
| The build replaces this file with one that imports the compiled console directly.
*/
import '@poppinss/ts-exec'

await import('./bin/console.js')
