import { ApiError } from '#app/exceptions/api_error'
import type { EventFilters } from '#telemetry/services/event_queries'

/* The validated query string of the logs viewer, as EventFilters (times in UTC milliseconds). */
export type FilterInput = {
  type?: string
  level?: string
  installation?: string
  company?: number
  version?: string
  q?: string
  from?: string
  to?: string
}

export function toEventFilters(input: FilterInput): EventFilters {
  return {
    type: input.type,
    level: input.level,
    installation: input.installation,
    companyId: input.company,
    version: input.version,
    q: input.q || undefined,
    from: parseTime(input.from, 'from'),
    to: parseTime(input.to, 'to'),
  }
}

export function parseTime(value: string | undefined, field: string) {
  if (!value) return undefined
  const zoned = /([zZ]|[+-]\d\d:?\d\d)$/.test(value) || !value.includes('T') ? value : `${value}Z`
  const ms = Date.parse(/T/.test(zoned) ? zoned : `${zoned}T00:00:00Z`)
  if (!Number.isFinite(ms))
    throw ApiError.invalid(
      'E_VALIDATION_ERROR',
      `${field} must be a date and time (ISO 8601)`,
      field
    )
  return ms
}

/* The filters as they came, for the page to refill its form and build export links. */
export function echoFilters(input: FilterInput) {
  return {
    type: input.type ?? '',
    level: input.level ?? '',
    installation: input.installation ?? '',
    company: input.company ? String(input.company) : '',
    version: input.version ?? '',
    q: input.q ?? '',
    from: input.from ?? '',
    to: input.to ?? '',
  }
}
