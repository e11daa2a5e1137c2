/*
| The files benchmark's baseline: bare node:http doing the core of an upload — parse the
| multipart body with busboy, hash the file part with sha256 and stream it to a file on disk —
| and nothing else (no auth, no database, no quota, no type detection).
*/
import { createServer } from 'node:http'
import { createHash, randomUUID } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import busboy from 'busboy'

const root = process.env.FILES_ROOT!
await mkdir(root, { recursive: true })

createServer((request, response) => {
  if (request.method !== 'POST') return response.end('ok')
  const parser = busboy({ headers: request.headers })
  parser.on('file', async (_field, stream) => {
    const hash = createHash('sha256')
    let size = 0
    const meter = new Transform({
      transform(chunk, _encoding, callback) {
        size += chunk.length
        hash.update(chunk)
        callback(null, chunk)
      },
    })
    await pipeline(stream, meter, createWriteStream(join(root, randomUUID())))
    response.writeHead(201, { 'content-type': 'application/json' })
    response.end(JSON.stringify({ size, sha256: hash.digest('hex') }))
  })
  request.pipe(parser)
}).listen(Number(process.env.PORT), '127.0.0.1')
