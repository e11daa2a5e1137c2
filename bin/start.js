/*
| `npm start`: runs the production build (`npm run build` writes it to build/) with the .env of
| this folder. HOST and PORT come from the environment or .env, like every other setting.
*/
import { existsSync } from 'node:fs'

const entry = new URL('../build/bin/server.js', import.meta.url)
if (!existsSync(entry)) {
  console.error('No production build found. Run `npm run build` first.')
  process.exit(1)
}

process.env.NODE_ENV = 'production'
/* The build lives in build/; its .env (if any) is the project's, one level up. */
process.env.ENV_PATH ??= '../'

await import(entry.href)
