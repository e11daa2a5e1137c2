import type { IncomingMessage } from 'node:http'
import { ApiError } from '#app/exceptions/api_error'

/* Stripe signs the exact bytes it sent: the webhook reads them itself, up to `limit`. */
export async function rawBody(request: IncomingMessage, limit = 1024 * 1024) {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request) {
    size += (chunk as Buffer).length
    if (size > limit)
      throw new ApiError('E_REQUEST_ENTITY_TOO_LARGE', 'Webhook body too large', { status: 413 })
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}
