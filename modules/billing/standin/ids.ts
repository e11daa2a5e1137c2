import { randomBytes } from 'node:crypto'

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/** A Stripe-looking id: `cus_`, `sub_`, `evt_`… and 24 base62 characters. */
export function stripeId(prefix: string) {
  const bytes = randomBytes(24)
  let id = ''
  for (const byte of bytes) id += ALPHABET[byte % ALPHABET.length]
  return `${prefix}_${id}`
}

export const nowSeconds = () => Math.floor(Date.now() / 1000)
