/* Shapes the telemetry pages receive (mirrors modules/telemetry/services/*). */
export type Stats = {
  activeToday: number
  activeWeek: number
  eventsWeek: number
  errorsWeek: number
  crashFreeWeek: number | null
}
export type DayPoint = { date: string; events: number; errors: number; installations: number }
export type VersionShare = { version: string; installations: number }
export type Installation = {
  id: string
  company: { id: number; name: string }
  appVersion: string
  platform: string
  osVersion: string | null
  locale: string | null
  eventsReceived: number
  firstSeenAt: string
  lastSeenAt: string
}
export type IssueStatus = 'open' | 'resolved' | 'ignored'
export type Issue = {
  id: number
  name: string
  message: string
  culprit: string | null
  status: IssueStatus
  regressed: boolean
  resolvedVersion: string | null
  events: number
  installations: number
  firstVersion: string
  lastVersion: string
  firstSeenAt: string
  lastSeenAt: string
}
export type TelemetryEvent = {
  id: number
  eventId: string
  companyId: number
  installationId: string
  type: 'event' | 'log' | 'error'
  name: string
  level: string | null
  message: string | null
  props: Record<string, unknown> | null
  sessionId: string | null
  stack: string | null
  appVersion: string
  platform: string
  issueId: number | null
  timestamp: string
  receivedAt: string
}
export type FeedItem = {
  id: string
  type: string
  name: string
  level: string | null
  message: string | null
  installationId: string
  companyId: number
  appVersion: string
  platform: string
  timestamp: number
}
export type Release = {
  id: number
  version: string
  channel: string
  platform: string
  downloadUrl: string
  sha256: string
  notes: string | null
  rolloutPercentage: number
  halted: boolean
  publishedAt: string
  health: {
    activeInstallations: number
    adoption: number | null
    installations: number
    crashFreeRate: number | null
  }
}

export const percent = (value: number | null) =>
  value === null ? '—' : `${(Math.floor(value * 1000) / 10).toLocaleString()}%`

export function ago(iso: string | number) {
  const seconds = Math.round((Date.now() - new Date(iso).getTime()) / 1000)
  if (seconds < 60) return `${Math.max(0, seconds)}s ago`
  const minutes = Math.round(seconds / 60)
  if (minutes < 120) return `${minutes} min ago`
  const hours = Math.round(minutes / 60)
  if (hours < 48) return `${hours} h ago`
  return new Date(iso).toLocaleDateString()
}

export const levelClass: Record<string, string> = {
  trace: 'bg-slate-100 text-slate-600',
  debug: 'bg-slate-100 text-slate-600',
  info: 'bg-sky-100 text-sky-700',
  warn: 'bg-amber-100 text-amber-800',
  error: 'bg-rose-100 text-rose-700',
  fatal: 'bg-rose-600 text-white',
}
