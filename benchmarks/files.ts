/*
| The files part of `npm run bench` (issue 8): one large file (BENCH_UPLOAD_MB, default 1 GiB)
| uploaded through POST /api/v1/files to the local disk, beside baseline_upload.ts (bare
| node:http + busboy + sha256 + a file write stream) in the same run: MB/s, and the server's
| resident memory before and at its peak, sampled every 100 ms. Aim: ≥ 0.8 of the baseline, RSS flat.
|
| The body is generated as it is sent (a 1 MiB random block repeated), so the client holds no
| copy either; both servers must answer with the size and sha256 the client computed.
*/
import { request } from 'node:http'
import { createHash, randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ace, runScript, startServer, type Env } from './processes.js'

export type UploadRun = {
  mbPerSecond: number
  seconds: number
  rssIdleMiB: number
  rssPeakMiB: number
}

const rss = (pid: number | undefined) => {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024
  } catch {
    return 0
  }
}

async function send(url: string, token: string | null, megabytes: number, pid: number | undefined) {
  const block = randomBytes(1024 * 1024)
  const boundary = `----tandem-bench-${randomBytes(8).toString('hex')}`
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`
  )
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`)
  const expected = createHash('sha256')
  let peak = rss(pid)
  const idle = peak
  const sampler = setInterval(() => (peak = Math.max(peak, rss(pid))), 100)
  const started = performance.now()
  const answer = await new Promise<{ status: number; body: any }>((resolve, reject) => {
    const req = request(
      `${url}/api/v1/files`,
      {
        method: 'POST',
        headers: {
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': head.length + megabytes * block.length + tail.length,
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        let text = ''
        res.on('data', (chunk) => (text += chunk))
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text || '{}') })
        )
      }
    )
    req.on('error', reject)
    req.write(head)
    let sent = 0
    const pump = () => {
      while (sent < megabytes) {
        expected.update(block)
        sent++
        if (!req.write(block)) return req.once('drain', pump)
      }
      req.end(tail)
    }
    pump()
  })
  const seconds = (performance.now() - started) / 1000
  clearInterval(sampler)
  const sha256 = expected.digest('hex')
  if (
    answer.status !== 201 ||
    answer.body.size !== megabytes * block.length ||
    answer.body.sha256 !== sha256
  )
    throw new Error(
      `upload answered ${answer.status} ${JSON.stringify(answer.body)}, expected ${sha256}`
    )
  return {
    mbPerSecond: megabytes / seconds,
    seconds,
    rssIdleMiB: idle,
    rssPeakMiB: peak,
  } satisfies UploadRun
}

export async function filesBenchmark(options: {
  env: Env
  workDir: string
  fromSource: boolean
  megabytes: number
  say: (message: string) => void
}) {
  const env: Env = {
    ...options.env,
    SQLITE_PATH: join(options.workDir, 'files.sqlite3'),
    FILES_ROOT: join(options.workDir, 'files'),
    DRIVE_DISK: 'fs',
    FILES_MAX_BYTES: String(64 * 1024 ** 3),
    FILES_QUOTA_BYTES: String(64 * 1024 ** 3),
    QUEUE_IN_PROCESS: 'false',
  }
  options.say('files: migrating, one company with a files:write token')
  await ace(['migration:run', '--force'], env)
  const seed = options.fromSource ? 'benchmarks/files_seed.ts' : 'build/benchmarks/files_seed.js'
  const seeded = await runScript(seed, env)
  const { token } = JSON.parse(seeded.trim().split('\n').at(-1)!)

  options.say(
    `files: Tandem, one ${options.megabytes.toLocaleString('en-US')} MiB upload to the local disk`
  )
  const tandemServer = await startServer(
    'Tandem',
    options.fromSource ? 'bin/server.ts' : 'build/bin/server.js',
    env,
    (url) => fetch(`${url}/health/live`).then((r) => r.status === 200)
  )
  let tandem: UploadRun
  try {
    tandem = await send(tandemServer.url, token, options.megabytes, tandemServer.pid)
  } finally {
    await tandemServer.stop()
  }
  options.say(
    'files: baseline (benchmarks/baseline_upload.ts: node:http + busboy + sha256 to disk)'
  )
  const bare = await startServer(
    'baseline',
    'benchmarks/baseline_upload.ts',
    { ...env, FILES_ROOT: join(options.workDir, 'baseline') },
    (url) => fetch(url).then((r) => r.status === 200)
  )
  let baseline: UploadRun
  try {
    baseline = await send(bare.url, null, options.megabytes, bare.pid)
  } finally {
    await bare.stop()
  }
  return { megabytes: options.megabytes, tandem, baseline }
}
