import type { IncomingMessage } from 'node:http'
import { createGunzip, createInflate } from 'node:zlib'
import type { Transform } from 'node:stream'
import { ApiError } from '#app/exceptions/api_error'

/*
| Reads a batch body itself instead of the body parser: the 1 MiB limit counts decompressed
| bytes, so a gzip bomb stops at 1 MiB of output, and every failure has its own code.
*/
const tooLarge = (limit: number) =>
  new ApiError('E_BATCH_TOO_LARGE', `A batch is at most ${limit} bytes once decompressed`, {
    status: 413,
  })

export async function readBatchBody(request: IncomingMessage, limit: number): Promise<unknown> {
  const type = request.headers['content-type'] ?? ''
  if (!/^application\/json\b/i.test(type))
    throw new ApiError('E_UNSUPPORTED_MEDIA_TYPE', 'Send the batch as application/json', {
      status: 415,
    })
  const encoding = (request.headers['content-encoding'] ?? 'identity').toLowerCase().trim()
  const length = Number(request.headers['content-length'] ?? Number.NaN)
  if (encoding === 'identity' && length > limit) throw tooLarge(limit)
  const text = await readText(request, decoderFor(encoding), limit)
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new ApiError(
      'E_MALFORMED_JSON',
      `The body is not valid JSON: ${(error as Error).message}`,
      {
        status: 400,
      }
    )
  }
}

function decoderFor(encoding: string): Transform | null {
  if (encoding === 'identity') return null
  if (encoding === 'gzip' || encoding === 'x-gzip') return createGunzip()
  if (encoding === 'deflate') return createInflate()
  throw new ApiError('E_UNSUPPORTED_ENCODING', 'Content-Encoding must be gzip, deflate or none', {
    status: 415,
  })
}

function readText(request: IncomingMessage, decoder: Transform | null, limit: number) {
  return new Promise<string>((resolve, reject) => {
    const source = decoder ? request.pipe(decoder) : request
    const chunks: Buffer[] = []
    let size = 0
    let settled = false
    const fail = (error: Error) => {
      if (settled) return
      settled = true
      if (decoder) {
        request.unpipe(decoder)
        decoder.destroy()
      }
      /* Stop reading: the rest of an oversized or broken body is not wanted. */
      request.resume()
      reject(error)
    }
    source.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) return fail(tooLarge(limit))
      chunks.push(chunk)
    })
    source.on('end', () => {
      if (settled) return
      settled = true
      resolve(Buffer.concat(chunks, size).toString('utf8'))
    })
    source.on('error', (error) =>
      fail(
        decoder && source === decoder
          ? new ApiError('E_INVALID_ENCODING', 'The body is not valid gzip or deflate data', {
              status: 400,
            })
          : error
      )
    )
    if (decoder) request.on('error', fail)
    request.on('aborted', () =>
      fail(new ApiError('E_REQUEST_ABORTED', 'The request was aborted', { status: 400 }))
    )
  })
}
