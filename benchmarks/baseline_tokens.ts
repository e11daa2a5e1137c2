/*
| Bearer-token check shared by the bare `node:http` baselines: decodes `tdm_<id>.<secret>`
| (base64url parts) and compares sha256(secret) with the stored hash, as @adonisjs/auth does.
*/
import { createHash, timingSafeEqual } from 'node:crypto'

function urlDecode(encoded: string) {
  const decoded = Buffer.from(encoded, 'base64').toString('utf-8')
  return Buffer.from(decoded, 'utf-8').toString('base64url') === encoded ? decoded : null
}

export function parseBearer(header: string | undefined) {
  const value = (header ?? '').replace(/^Bearer /i, '')
  const [identifier, ...secret] = value.startsWith('tdm_') ? value.slice(4).split('.') : []
  const id = identifier ? urlDecode(identifier) : null
  const plain = secret.length ? urlDecode(secret.join('.')) : null
  return id && plain ? { id, plain } : null
}

export function secretMatches(storedHash: string | undefined, plain: string) {
  const hash = createHash('sha256').update(plain).digest('hex')
  return (
    !!storedHash &&
    storedHash.length === hash.length &&
    timingSafeEqual(Buffer.from(storedHash), Buffer.from(hash))
  )
}
