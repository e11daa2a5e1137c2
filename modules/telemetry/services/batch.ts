import { ApiError } from '#app/exceptions/api_error'

/*
| One telemetry batch, checked without touching the database. The envelope must be right or the
| whole batch is refused (422); each event is then checked on its own, and a bad one is reported
| in `rejected` by its index while the others are kept.
*/
export const LIMITS = {
  events: 1000,
  bytes: 1024 * 1024,
  name: 200,
  message: 8 * 1024,
  stack: 32 * 1024,
  propsKeys: 50,
  propKey: 64,
  propValue: 1024,
  sessionId: 64,
  /** Events older than this are refused. */
  maxAgeMs: 24 * 60 * 60 * 1000,
  /** Device clocks drift: a timestamp up to this far ahead is taken as now-ish. */
  clockSkewMs: 5 * 60 * 1000,
}

export const EVENT_TYPES = ['event', 'log', 'error'] as const
export const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const
export type EventType = (typeof EVENT_TYPES)[number]
export type Props = Record<string, string | number | boolean>

export type Envelope = {
  installationId: string
  appVersion: string
  platform: string
  osVersion: string | null
  locale: string | null
}

export type CleanEvent = {
  id: string
  type: EventType
  name: string
  level: string | null
  message: string | null
  props: Props | null
  sessionId: string | null
  timestamp: number
  stack: string | null
}

export type Rejection = { index: number; code: string; message: string }
export type CheckedBatch = { envelope: Envelope; events: CleanEvent[]; rejected: Rejection[] }

/* PostgreSQL text cannot hold U+0000; refused everywhere, so every database keeps the same rows. */
const NUL = '\u0000'
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const VERSION = /^[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}$/
const PLATFORM = /^[a-z0-9][a-z0-9_-]{0,31}$/
const PROP_KEY = /^[A-Za-z0-9_.:$-]{1,64}$/

export function checkBatch(body: unknown, now: number): CheckedBatch {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw ApiError.invalid('E_VALIDATION_ERROR', 'The batch must be a JSON object')
  const input = body as Record<string, unknown>
  const envelope = checkEnvelope(input)
  if (!Array.isArray(input.events))
    throw ApiError.invalid('E_VALIDATION_ERROR', 'events must be an array', 'events')
  if (input.events.length > LIMITS.events)
    throw new ApiError(
      'E_TOO_MANY_EVENTS',
      `A batch holds at most ${LIMITS.events} events (got ${input.events.length})`,
      { status: 413, field: 'events' }
    )
  const events: CleanEvent[] = []
  const rejected: Rejection[] = []
  input.events.forEach((raw, index) => {
    const result = checkEvent(raw, now)
    if (result instanceof EventProblem)
      rejected.push({ index, code: result.code, message: result.message })
    else events.push(result)
  })
  return { envelope, events, rejected }
}

function checkEnvelope(input: Record<string, unknown>): Envelope {
  const installationId = input.installationId
  if (typeof installationId !== 'string' || !UUID.test(installationId))
    throw ApiError.invalid('E_VALIDATION_ERROR', 'installationId must be a UUID', 'installationId')
  if (typeof input.appVersion !== 'string' || !VERSION.test(input.appVersion))
    throw ApiError.invalid(
      'E_VALIDATION_ERROR',
      'appVersion must be a version like 1.4.2 (letters, digits, . + _ -; at most 64)',
      'appVersion'
    )
  const platform = typeof input.platform === 'string' ? input.platform.toLowerCase() : null
  if (!platform || !PLATFORM.test(platform))
    throw ApiError.invalid(
      'E_VALIDATION_ERROR',
      'platform must be a short name like windows, macos or linux',
      'platform'
    )
  return {
    installationId: installationId.toLowerCase(),
    appVersion: input.appVersion,
    platform,
    osVersion: optionalText(input.osVersion, 64, 'osVersion'),
    locale: optionalText(input.locale, 35, 'locale'),
  }
}

function optionalText(value: unknown, max: number, field: string) {
  if (value === undefined || value === null) return null
  if (typeof value !== 'string' || value.length > max || value.includes(NUL))
    throw ApiError.invalid(
      'E_VALIDATION_ERROR',
      `${field} must be text of at most ${max} (no NUL characters)`,
      field
    )
  return value
}

/* A refused event; a class so no props key (say, `code`) can be mistaken for one. */
class EventProblem {
  constructor(
    readonly code: string,
    readonly message: string
  ) {}
}

function problem(code: string, message: string) {
  return new EventProblem(code, message)
}

function checkEvent(raw: unknown, now: number): CleanEvent | EventProblem {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    return problem('E_INVALID_EVENT', 'An event must be a JSON object')
  const event = raw as Record<string, unknown>
  if (typeof event.id !== 'string' || !UUID.test(event.id))
    return problem('E_INVALID_EVENT_ID', 'id must be a UUID')
  if (!EVENT_TYPES.includes(event.type as EventType))
    return problem('E_INVALID_EVENT_TYPE', 'type must be event, log or error')
  if (typeof event.name !== 'string' || !event.name.trim())
    return problem('E_INVALID_EVENT_NAME', 'name is required text')
  const level = event.level ?? null
  if (level !== null && !LEVELS.includes(level as any))
    return problem('E_INVALID_LEVEL', `level must be one of ${LEVELS.join(', ')}`)
  const texts = checkTexts(event)
  if (texts instanceof EventProblem) return texts
  const props = checkProps(event.props)
  if (props instanceof EventProblem) return props
  const timestamp = checkTimestamp(event.timestamp, now)
  if (timestamp instanceof EventProblem) return timestamp
  return {
    id: event.id.toLowerCase(),
    type: event.type as EventType,
    name: event.name,
    level: level as string | null,
    props,
    timestamp,
    ...texts,
  }
}

function checkTexts(event: Record<string, unknown>) {
  const bounds: Array<[string, number]> = [
    ['name', LIMITS.name],
    ['message', LIMITS.message],
    ['stack', LIMITS.stack],
    ['sessionId', LIMITS.sessionId],
  ]
  for (const [field, max] of bounds) {
    const value = event[field]
    if (value === undefined || value === null) continue
    if (typeof value !== 'string') return problem('E_INVALID_FIELD', `${field} must be text`)
    if (value.length > max)
      return problem('E_FIELD_TOO_LONG', `${field} is longer than ${max} characters`)
    if (value.includes(NUL))
      return problem('E_INVALID_FIELD', `${field} contains a NUL character (\\u0000)`)
  }
  return {
    message: (event.message as string | undefined) ?? null,
    stack: (event.stack as string | undefined) ?? null,
    sessionId: (event.sessionId as string | undefined) ?? null,
  }
}

function checkProps(value: unknown): Props | EventProblem | null {
  if (value === undefined || value === null) return null
  if (typeof value !== 'object' || Array.isArray(value))
    return problem('E_INVALID_PROPS', 'props must be an object')
  const entries = Object.entries(value)
  if (entries.length > LIMITS.propsKeys)
    return problem('E_INVALID_PROPS', `props holds at most ${LIMITS.propsKeys} keys`)
  for (const [key, prop] of entries) {
    if (!PROP_KEY.test(key))
      return problem(
        'E_INVALID_PROPS',
        `props key "${key.slice(0, 80)}" must be 1-64 of A-Z a-z 0-9 _ . : $ -`
      )
    const kind = typeof prop
    if (kind === 'string' && (prop as string).length > LIMITS.propValue)
      return problem(
        'E_INVALID_PROPS',
        `props.${key} is longer than ${LIMITS.propValue} characters`
      )
    if (kind === 'string' && (prop as string).includes(NUL))
      return problem('E_INVALID_PROPS', `props.${key} contains a NUL character (\\u0000)`)
    if (kind === 'number' && !Number.isFinite(prop))
      return problem('E_INVALID_PROPS', `props.${key} must be a finite number`)
    if (kind !== 'string' && kind !== 'number' && kind !== 'boolean')
      return problem(
        'E_INVALID_PROPS',
        `props.${key} must be a string, number or boolean (props are flat)`
      )
  }
  return value as Props
}

function checkTimestamp(value: unknown, now: number): number | EventProblem {
  const ms =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\d{4}-\d\d-\d\dT/.test(value)
        ? Date.parse(value)
        : Number.NaN
  if (!Number.isFinite(ms))
    return problem(
      'E_INVALID_TIMESTAMP',
      'timestamp must be an ISO 8601 date or epoch milliseconds'
    )
  if (ms < now - LIMITS.maxAgeMs)
    return problem('E_TIMESTAMP_OUT_OF_RANGE', 'timestamp is more than a day old')
  if (ms > now + LIMITS.clockSkewMs)
    return problem('E_TIMESTAMP_OUT_OF_RANGE', 'timestamp is in the future')
  return Math.floor(ms)
}
