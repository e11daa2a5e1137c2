import type User from '#accounts/models/user'

/* The fields of a user that admins see and the audit log records. */
export function snapshotUser(user: User) {
  return {
    id: user.id,
    email: user.email,
    fullName: user.fullName,
    isAdmin: user.isAdmin,
    emailVerifiedAt: user.emailVerifiedAt?.toISO() ?? null,
    disabledAt: user.disabledAt?.toISO() ?? null,
    createdAt: user.createdAt.toISO(),
  }
}
