import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

/*
| Single-use secrets sent by mail (password resets, invitations): the link carries the secret,
| the database keeps only its SHA-256, so a leaked database cannot be turned into working links.
*/
export function newSecret(bytes = 32) {
  const secret = randomBytes(bytes).toString('base64url')
  return { secret, hash: hashSecret(secret) }
}

export function hashSecret(secret: string) {
  return createHash('sha256').update(secret).digest('hex')
}

export function sameSecretHash(a: string, b: string) {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}
