/*
| The rooms part of `npm run bench` (issue 6): how many sockets one Tandem process holds and at
| what memory, how many messages per second it delivers to rooms of ten, and the delivery
| latency — beside baseline_ws.ts, a bare `ws` server doing the same fan-out, in the same run.
| Aims on this 2-core machine: 5,000 sockets under 1 GiB RSS, 20,000 delivered messages/s,
| p99 under 100 ms.
|
| Load comes from two client processes (rooms_client.ts). Two measurements per server:
| saturated (every room has a sender, one message in flight each) and paced (one room in ten
| sends every 50 ms), which is where latency is read against the aim.
*/
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ChildProcess } from 'node:child_process'
import {
  ace,
  forkScript,
  ROOT,
  runScript,
  startServer,
  type Env,
  type Server,
} from './processes.js'

const ROOM_SIZE = 10
const CLIENTS = 2

export type Delivery = {
  sent: number
  delivered: number
  deliveredPerSecond: number
  errors: number
  latencyMs: { p50: number; p99: number }
}
export type RoomsSide = {
  sockets: number
  failed: number
  connectSeconds: number
  rssMiB: number | null
  idleRssMiB: number | null
  saturated: Delivery
  paced: Delivery
}

function rssMiB(pid: number | undefined) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1])
    return Number.isFinite(kb) ? kb / 1024 : null
  } catch {
    return null
  }
}

function percentile(sorted: number[], p: number) {
  if (!sorted.length) return 0
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}

function ask(child: ChildProcess, message: object, answer: string, onProgress?: (m: any) => void) {
  return new Promise<any>((resolve, reject) => {
    const listener = (reply: any) => {
      if (reply.type === answer) {
        child.off('message', listener)
        resolve(reply)
      } else onProgress?.(reply)
    }
    child.on('message', listener)
    child.once('exit', (code) => reject(new Error(`rooms client exited (${code})`)))
    child.send(message)
  })
}

async function side(
  server: Server,
  options: { mode: 'tandem' | 'ws'; token: string; rooms: number[]; seconds: number },
  progress: (line: string) => void
): Promise<RoomsSide> {
  const clients = Array.from({ length: CLIENTS }, () =>
    forkScript(join(ROOT, 'benchmarks', 'rooms_client.ts'), { PATH: process.env.PATH! })
  )
  try {
    const idleRssMiB = rssMiB(server.pid)
    const mine = (index: number) => options.rooms.filter((_, i) => i % CLIENTS === index)
    const counts = clients.map(() => 0)
    const connected = await Promise.all(
      clients.map((child, index) =>
        ask(
          child,
          {
            type: 'connect',
            mode: options.mode,
            url: server.url,
            token: options.token,
            rooms: mine(index).flatMap((room) => Array(ROOM_SIZE).fill(room)),
          },
          'connected',
          (m) => {
            counts[index] = m.connected
            progress(
              `      ${server.name}: ${counts.reduce((a, b) => a + b, 0).toLocaleString('en-US')} sockets connected`
            )
          }
        )
      )
    )
    await new Promise((resolve) => setTimeout(resolve, 1000))
    const rss = rssMiB(server.pid)
    const deliver = async (senderRooms: (index: number) => number[], thinkMs: number) => {
      const results = await Promise.all(
        clients.map((child, index) =>
          ask(
            child,
            { type: 'run', seconds: options.seconds, senderRooms: senderRooms(index), thinkMs },
            'result'
          )
        )
      )
      const samples = results.flatMap((r) => r.samples as number[]).sort((a, b) => a - b)
      const delivered = results.reduce((sum, r) => sum + r.delivered, 0)
      const seconds = Math.max(...results.map((r) => r.seconds))
      return {
        sent: results.reduce((sum, r) => sum + r.sent, 0),
        delivered,
        deliveredPerSecond: delivered / seconds,
        errors: results.reduce((sum, r) => sum + r.errors, 0),
        latencyMs: { p50: percentile(samples, 50), p99: percentile(samples, 99) },
      }
    }
    progress(`      ${server.name}: every room sending for ${options.seconds} s`)
    const saturated = await deliver(mine, 0)
    progress(`      ${server.name}: one room in ten sending every 50 ms for ${options.seconds} s`)
    const paced = await deliver((index) => mine(index).filter((_, i) => i % 10 === 0), 50)
    return {
      sockets: connected.reduce((sum, c) => sum + c.connected, 0),
      failed: connected.reduce((sum, c) => sum + c.failed, 0),
      connectSeconds: Math.max(...connected.map((c) => c.ms)) / 1000,
      rssMiB: rss,
      idleRssMiB,
      saturated,
      paced,
    }
  } finally {
    for (const child of clients) if (child.connected) child.send({ type: 'close' })
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
}

export async function roomsBenchmark(options: {
  env: Env
  workDir: string
  fromSource: boolean
  durationSeconds: number
  sockets: number
  say: (message: string) => void
  progress: (line: string) => void
}) {
  const roomCount = Math.max(1, Math.round(options.sockets / ROOM_SIZE))
  const env: Env = {
    ...options.env,
    SQLITE_PATH: join(options.workDir, 'rooms.sqlite3'),
    QUEUE_IN_PROCESS: 'false',
    ROOMS_MESSAGES_PER_10S: '100000000',
    /* Production's default unless the caller sets it (e.g. 0 to see what recovery costs). */
    ...(process.env.REALTIME_RECOVERY_SECONDS !== undefined && {
      REALTIME_RECOVERY_SECONDS: process.env.REALTIME_RECOVERY_SECONDS,
    }),
  }
  options.say(
    `rooms: migrating, one company with ${roomCount.toLocaleString('en-US')} rooms of ${ROOM_SIZE}`
  )
  await ace(['migration:run', '--force'], env)
  const seedEntry = options.fromSource
    ? 'benchmarks/rooms_seed.ts'
    : 'build/benchmarks/rooms_seed.js'
  const seeded = await runScript(seedEntry, { ...env, BENCH_ROOMS: String(roomCount) })
  const { token, rooms } = JSON.parse(seeded.trim().split('\n').at(-1)!)

  const measure = async (name: string, entry: string, mode: 'tandem' | 'ws', ready: string) => {
    const server = await startServer(name, entry, env, (url) =>
      fetch(url + ready).then((r) => r.status === 200)
    )
    try {
      return await side(
        server,
        { mode, token, rooms, seconds: options.durationSeconds },
        options.progress
      )
    } finally {
      await server.stop()
    }
  }
  options.say(`rooms: Tandem, ${(roomCount * ROOM_SIZE).toLocaleString('en-US')} sockets on /rooms`)
  const tandem = await measure(
    'Tandem',
    options.fromSource ? 'bin/server.ts' : 'build/bin/server.js',
    'tandem',
    '/health/live'
  )
  options.say('rooms: baseline (benchmarks/baseline_ws.ts, bare ws fan-out, no database)')
  const baseline = await measure('baseline', 'benchmarks/baseline_ws.ts', 'ws', '/')
  return { roomSize: ROOM_SIZE, rooms: roomCount, tandem, baseline }
}
