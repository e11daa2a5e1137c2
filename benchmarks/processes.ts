/*
| Child processes for `npm run bench`: every one started here is tracked, so run.ts can stop
| all of them on the way out, whether the run succeeded, failed or was interrupted.
*/
import { spawn, fork, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('../', import.meta.url))
const TS = '--import=@poppinss/ts-exec'

const running = new Set<ChildProcess>()

export type Env = Record<string, string>

/* A Tandem environment like the tests' real processes (tests/helpers/app_process.ts): production
   mode, cookie sessions, log mail, one SQLite file, nothing inherited from the caller's shell. */
export function tandemEnv(sqlitePath: string, extra: Env = {}): Env {
  return {
    PATH: process.env.PATH!,
    HOME: process.env.HOME!,
    TZ: 'UTC',
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: '0',
    APP_URL: 'http://127.0.0.1',
    LOG_LEVEL: 'warn',
    APP_KEY: 'bench-key-0123456789abcdefghijklmnopqrstuv',
    SESSION_DRIVER: 'cookie',
    MAIL_MAILER: 'log',
    DB_CONNECTION: 'sqlite',
    SQLITE_PATH: sqlitePath,
    /* e.g. `--cpu-prof --cpu-prof-dir=tmp/prof` to profile the servers under load. */
    ...(process.env.BENCH_SERVER_NODE_OPTIONS
      ? { NODE_OPTIONS: process.env.BENCH_SERVER_NODE_OPTIONS }
      : {}),
    ...extra,
  }
}

export async function freePort() {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  server.close()
  await once(server, 'close')
  return port
}

function track(child: ChildProcess) {
  running.add(child)
  child.once('exit', () => running.delete(child))
  return child
}

function capture(child: ChildProcess) {
  let output = ''
  child.stdout?.on('data', (chunk) => (output += chunk))
  child.stderr?.on('data', (chunk) => (output += chunk))
  return () => output
}

/* `node ace <args>`; resolves with its output, rejects with it when the command fails. */
export async function ace(args: string[], env: Env) {
  const child = track(spawn(process.execPath, ['ace.js', ...args], { cwd: ROOT, env }))
  const output = capture(child)
  const [code] = await once(child, 'exit')
  if (code !== 0) throw new Error(`node ace ${args.join(' ')} failed (${code}):\n${output()}`)
  return output()
}

export type Server = {
  name: string
  url: string
  pid: number | undefined
  output: () => string
  stop: () => Promise<void>
}

/*
| Starts an HTTP server and waits until `ready(url)` says it answers. A `.ts` entry runs through
| the TypeScript loader; a `.js` entry (the production build) runs as is.
*/
export async function startServer(
  name: string,
  entry: string,
  env: Env,
  ready: (url: string) => Promise<boolean>
): Promise<Server> {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const child = track(
    spawn(process.execPath, nodeArgs(entry), {
      cwd: ROOT,
      env: { ...env, PORT: String(port), APP_URL: url },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
  )
  const output = capture(child)
  const server = { name, url, pid: child.pid, output, stop: () => stop(child) }

  const deadline = Date.now() + 60_000
  while (!(await ready(url).catch(() => false))) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`${name} exited before answering:\n${output()}`)
    if (Date.now() > deadline) {
      await server.stop()
      throw new Error(`${name} did not answer within 60 s:\n${output()}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  return server
}

/* `node <entry> …args`: a `.ts` entry runs through the TypeScript loader, a `.js` one as is. */
function nodeArgs(entry: string) {
  return entry.endsWith('.ts') ? [TS, entry] : [entry]
}

/* Forks a module with an IPC channel (the load generator, the queue client). */
export function forkScript(entry: string, env: Env) {
  return track(
    fork(entry, [], {
      cwd: ROOT,
      env,
      execArgv: entry.endsWith('.ts') ? [TS] : [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
  )
}

/* A long-running process (a queue worker): tracked, its output kept for error messages. */
export function startProcess(entry: string, args: string[], env: Env) {
  const child = track(
    spawn(process.execPath, [...nodeArgs(entry), ...args], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
  )
  return { child, pid: child.pid, output: capture(child), stop: () => stop(child) }
}

/* SIGTERM, then SIGKILL after 5 s. */
export async function stop(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
  await exited
  clearTimeout(timer)
}

/* Newest first: the load generator goes before the server it is loading. */
export async function stopAll() {
  for (const child of [...running].reverse()) await stop(child)
}

/* A script run to completion (a seeder); resolves with its output, rejects when it fails. */
export async function runScript(entry: string, env: Env) {
  const child = track(spawn(process.execPath, nodeArgs(entry), { cwd: ROOT, env }))
  const output = capture(child)
  const [code] = await once(child, 'exit')
  if (code !== 0) throw new Error(`${entry} failed (${code}):\n${output()}`)
  return output()
}
