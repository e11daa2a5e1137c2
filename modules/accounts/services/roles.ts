/*
| Roles are named sets of permissions; code always checks permissions, never role names, so a
| role can change without touching the checks. Other modules add their permissions through
| `grant()` from their provider (e.g. billing grants `billing:manage` to owners and admins).
*/
export const ROLES = ['owner', 'admin', 'member'] as const
export type Role = (typeof ROLES)[number]

const table: Record<Role, Set<string>> = {
  owner: new Set([
    'company:update',
    'company:delete',
    'members:view',
    'members:invite',
    'members:manage',
    'owners:manage',
    'tokens:create',
  ]),
  admin: new Set([
    'company:update',
    'members:view',
    'members:invite',
    'members:manage',
    'tokens:create',
  ]),
  member: new Set(['members:view', 'tokens:create']),
}

export function grant(permission: string, roles: Role[]) {
  for (const role of roles) table[role].add(permission)
}

export function can(role: Role | null | undefined, permission: string) {
  return role ? table[role].has(permission) : false
}

export function permissionsOf(role: Role) {
  return [...table[role]].sort()
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value)
}

/** Roles an actor may hand out: only owners create or demote owners. */
export function assignableRoles(actorRole: Role): Role[] {
  return can(actorRole, 'owners:manage') ? [...ROLES] : ROLES.filter((role) => role !== 'owner')
}
