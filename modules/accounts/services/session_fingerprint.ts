import { createHash } from 'node:crypto'
import type User from '#accounts/models/user'

/*
| A browser session remembers which password it was opened with (a digest of the password hash,
| kept inside the encrypted session). Changing or resetting the password changes the digest, so
| every other session ends on its next request, and its sockets are refused.
*/
export const SESSION_FINGERPRINT_KEY = 'auth_fp'

export function sessionFingerprint(user: User) {
  return createHash('sha256').update(`${user.id}:${user.password}`).digest('base64url').slice(0, 22)
}
