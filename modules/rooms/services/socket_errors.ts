import { errors as limiterErrors } from '@adonisjs/limiter'
import { ApiError } from '#app/exceptions/api_error'
import { databaseUnavailable } from '#app/exceptions/database_errors'

/*
| Socket.IO acknowledgements carry the same stable codes as the HTTP API:
| `{ ok: false, error: { code, message, field?, retryAfter? } }`.
*/
export type SocketError = { code: string; message: string; field?: string; retryAfter?: number }
export type Ack = (response: Record<string, unknown>) => void

export function toSocketError(thrown: unknown): SocketError | null {
  const error = databaseUnavailable(thrown) ?? thrown
  if (error instanceof limiterErrors.E_TOO_MANY_REQUESTS)
    return {
      code: 'E_TOO_MANY_REQUESTS',
      message: 'Too many messages; wait a moment',
      retryAfter: error.response.availableIn,
    }
  if (error instanceof ApiError)
    return {
      code: error.code!,
      message: error.message,
      ...(error.field ? { field: error.field } : {}),
      ...(error.retryAfter !== undefined ? { retryAfter: error.retryAfter } : {}),
    }
  const code = (error as { code?: string })?.code
  if (code === 'E_VALIDATION_ERROR')
    return { code, message: (error as any).messages?.[0]?.message ?? 'Invalid input' }
  return null
}

export function invalid(message: string, field?: string) {
  return ApiError.invalid('E_VALIDATION_ERROR', message, field)
}

/** A positive integer id from a payload field, or a validation error naming the field. */
export function idFrom(payload: unknown, field: string) {
  const value = Number((payload as Record<string, unknown> | null)?.[field])
  if (!Number.isSafeInteger(value) || value <= 0) throw invalid(`${field} must be an id`, field)
  return value
}
