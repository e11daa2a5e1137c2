import { createHash } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import { ApiError } from '#app/exceptions/api_error'
import { compareVersions, isNewer } from '#telemetry/services/versions'

/*
| App releases and the update check. A release reaches `rolloutPercentage`% of installations,
| chosen by a hash of the installation id and the version: the same installation always gets the
| same answer, and raising the percentage only adds installations. Halted releases are skipped,
| so installations fall back to the newest release still going out.
*/
export type ReleaseRow = {
  id: number
  version: string
  channel: string
  platform: string
  download_url: string
  sha256: string
  notes: string | null
  rollout_percentage: number
  halted_at: number | null
  published_at: number
}

export function presentRelease(row: ReleaseRow) {
  return {
    id: Number(row.id),
    version: row.version,
    channel: row.channel,
    platform: row.platform,
    downloadUrl: row.download_url,
    sha256: row.sha256,
    notes: row.notes,
    rolloutPercentage: Number(row.rollout_percentage),
    halted: row.halted_at !== null,
    publishedAt: new Date(Number(row.published_at)).toISOString(),
  }
}

/** 0..99, stable for an installation and a version. */
export function rolloutBucket(installationId: string, version: string) {
  const digest = createHash('sha256').update(`${installationId.toLowerCase()}:${version}`).digest()
  return digest.readUInt32BE(0) % 100
}

export function reaches(release: ReleaseRow, installationId: string | null) {
  const percentage = Number(release.rollout_percentage)
  if (percentage >= 100) return true
  if (!installationId || percentage <= 0) return false
  return rolloutBucket(installationId, release.version) < percentage
}

export type UpdateQuery = {
  platform: string
  channel: string
  current: string | null
  installationId: string | null
}

export async function latestFor(query: UpdateQuery) {
  const rows: ReleaseRow[] = await db
    .from('telemetry_releases')
    .where({ platform: query.platform, channel: query.channel })
    .whereNull('halted_at')
  const newestFirst = rows.sort((a, b) => compareVersions(b.version, a.version))
  for (const release of newestFirst) {
    if (query.current && !isNewer(release.version, query.current)) return null
    if (reaches(release, query.installationId)) return release
  }
  return null
}

/*
| Adoption: share of the platform's installations seen in the last 7 days that run the version.
| Crash-free: share of installations that ran the version (any day kept) and reported no error.
*/
export async function releaseHealth(release: ReleaseRow, now: number) {
  const since = now - 7 * 86_400_000
  const [active] = await db
    .from('telemetry_installations')
    .where('platform', release.platform)
    .where('last_seen_at', '>=', since)
    .select(
      db.raw('count(*) as total'),
      db.raw('sum(case when app_version = ? then 1 else 0 end) as on_version', [release.version])
    )
  const [health] = await db
    .from('telemetry_installation_days')
    .where({ platform: release.platform, app_version: release.version })
    .select(
      db.raw('count(distinct installation_id) as installations'),
      db.raw('count(distinct case when errors > 0 then installation_id end) as crashed')
    )
  const total = Number(active?.total ?? 0)
  const installations = Number(health?.installations ?? 0)
  return {
    activeInstallations: Number(active?.on_version ?? 0),
    adoption: total ? Number(active.on_version ?? 0) / total : null,
    installations,
    crashFreeRate: installations ? 1 - Number(health.crashed ?? 0) / installations : null,
  }
}

export async function findRelease(id: number): Promise<ReleaseRow> {
  const row = await db.from('telemetry_releases').where('id', id).first()
  if (!row) throw ApiError.notFound('No such release')
  return row
}
