import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { once } from 'node:events'
import app from '@adonisjs/core/services/app'

/*
| Real, separate Tandem processes for tests that need more than one (the realtime cluster):
| `node bin/server.ts` with its own environment, stopped with SIGTERM like in production.
*/
export async function freePort() {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  server.close()
  return port
}

export function baseEnv(extra: Record<string, string>) {
  return {
    PATH: process.env.PATH!,
    HOME: process.env.HOME!,
    TZ: 'UTC',
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    APP_KEY: 'cluster-test-key-0123456789abcdefghijklmnop',
    SESSION_DRIVER: 'cookie',
    MAIL_MAILER: 'log',
    ...extra,
  }
}

export async function ace(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ['ace.js', ...args], { cwd: app.makePath(), env })
  let output = ''
  child.stdout.on('data', (chunk) => (output += chunk))
  child.stderr.on('data', (chunk) => (output += chunk))
  const [code] = await once(child, 'exit')
  if (code !== 0) throw new Error(`node ace ${args.join(' ')} failed (${code}):\n${output}`)
  return output
}

export async function startServer(env: Record<string, string>) {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import=@poppinss/ts-exec', 'bin/server.ts'],
    {
      cwd: app.makePath(),
      env: { ...env, PORT: String(port), APP_URL: url },
      stdio: ['ignore', 'pipe', 'pipe'],
    }
  )
  let output = ''
  child.stdout!.on('data', (chunk) => (output += chunk))
  child.stderr!.on('data', (chunk) => (output += chunk))

  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`)
    const up = await fetch(`${url}/api/v1/me`)
      .then((r) => r.status === 401)
      .catch(() => false)
    if (up) break
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  if (Date.now() >= deadline) throw new Error(`server did not start:\n${output}`)

  return {
    url,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return
      child.kill('SIGTERM')
      await once(child, 'exit')
    },
    /** A crash: SIGKILL, no shutdown hooks. */
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = once(child, 'exit')
      child.kill('SIGKILL')
      await exited
    },
  }
}

/* A long-running Ace command (queue:work, scheduler:work) that the test stops or kills. */
export function spawnAce(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ['ace.js', ...args], {
    cwd: app.makePath(),
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.on('data', (chunk) => (output += chunk))
  child.stderr!.on('data', (chunk) => (output += chunk))
  const exited = once(child, 'exit').then(([code, signal]) => ({ code, signal }))
  return {
    output: () => output,
    exited,
    signal(name: NodeJS.Signals) {
      if (child.exitCode === null && child.signalCode === null) child.kill(name)
    },
    async ready(text: string, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs
      while (!output.includes(text)) {
        if (child.exitCode !== null) throw new Error(`exited early:\n${output}`)
        if (Date.now() > deadline) throw new Error(`never printed "${text}":\n${output}`)
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    },
  }
}

/* The current test database and Redis, for child processes that must share them. */
export function sharedServicesEnv(): Record<string, string> {
  const keys = ['DB_CONNECTION', 'DB_HOST', 'DB_PORT', 'DB_USER', 'DB_PASSWORD', 'DB_DATABASE']
  const env: Record<string, string> = {}
  for (const key of [...keys, 'REDIS_HOST', 'REDIS_PORT', 'REDIS_DB', 'REDIS_PASSWORD']) {
    if (process.env[key]) env[key] = process.env[key]!
  }
  if ((process.env.DB_CONNECTION ?? 'sqlite') === 'sqlite') {
    env.DB_CONNECTION = 'sqlite'
    env.SQLITE_PATH = app.makePath(process.env.SQLITE_PATH ?? 'storage/test.sqlite3')
  }
  return env
}
