import semver from 'semver'

/*
| App versions are compared as semver when they are (1.4.2, 2.0.0-beta.3), else by their
| leading numbers (2024.11, 7.1 build 5), else as text: "newer" must work for every scheme.
*/
export function compareVersions(a: string, b: string): number {
  if (a === b) return 0
  const left = semver.valid(a) ?? semver.valid(semver.coerce(a, { includePrerelease: true }))
  const right = semver.valid(b) ?? semver.valid(semver.coerce(b, { includePrerelease: true }))
  if (left && right) {
    const order = semver.compare(left, right)
    if (order !== 0) return order
  }
  return a.localeCompare(b, 'en', { numeric: true })
}

export const isNewer = (candidate: string, than: string) => compareVersions(candidate, than) > 0
