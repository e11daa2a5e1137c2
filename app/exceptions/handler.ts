import app from '@adonisjs/core/services/app'
import { type HttpContext, ExceptionHandler } from '@adonisjs/core/http'
import type { HttpError, StatusPageRange, StatusPageRenderer } from '@adonisjs/core/types/http'
import { errors as limiterErrors } from '@adonisjs/limiter'
import { isStateless } from '#app/http/stateless'
import { ApiError } from '#app/exceptions/api_error'
import { databaseUnavailable } from '#app/exceptions/database_errors'

/*
| Errors leave the app in one of two shapes. API and JSON clients get PRODUCT.md's
| `{ errors: [{ code, message, field? }] }` with the right status; browsers get the Inertia
| error pages, or a redirect back with flashed messages for forms. Every error response
| carries the request id (header `x-request-id`) that the log lines carry too.
*/
const CODE_BY_STATUS: Record<number, string> = {
  400: 'E_BAD_REQUEST',
  401: 'E_UNAUTHORIZED_ACCESS',
  403: 'E_FORBIDDEN',
  404: 'E_NOT_FOUND',
  405: 'E_METHOD_NOT_ALLOWED',
  409: 'E_CONFLICT',
  413: 'E_REQUEST_ENTITY_TOO_LARGE',
  415: 'E_UNSUPPORTED_MEDIA_TYPE',
  422: 'E_VALIDATION_ERROR',
  429: 'E_TOO_MANY_REQUESTS',
}

const STATUS_BY_CODE: Record<string, number> = {
  E_INVALID_CREDENTIALS: 401,
  E_ROUTE_NOT_FOUND: 404,
  E_ROW_NOT_FOUND: 404,
}

/*
| A unique or foreign-key violation means two requests raced (say, the same invitation accepted
| twice at once): the loser gets a 409 to retry, not a 500. Codes: PostgreSQL, MySQL, SQLite.
*/
const CONFLICT_CODES = new Set([
  '23505',
  '23503',
  'ER_DUP_ENTRY',
  'ER_NO_REFERENCED_ROW_2',
  'SQLITE_CONSTRAINT_UNIQUE',
  'SQLITE_CONSTRAINT_PRIMARYKEY',
  'SQLITE_CONSTRAINT_FOREIGNKEY',
])

export type ApiErrorBody = { code: string; message: string; field?: string; [key: string]: unknown }

export function wantsJson(ctx: HttpContext) {
  if (isStateless(ctx.request.url())) return true
  if (ctx.request.header('x-inertia')) return false
  return ctx.request.accepts(['html', 'json']) === 'json'
}

export default class HttpExceptionHandler extends ExceptionHandler {
  protected debug = !app.inProduction
  protected renderStatusPages = true
  protected ignoreStatuses = [400, 401, 403, 404, 409, 413, 422, 429]

  protected statusPages: Record<StatusPageRange, StatusPageRenderer> = {
    '403': (error, { inertia }) => inertia.render('errors/forbidden', { message: error.message }),
    '404': (_, { inertia }) => inertia.render('errors/not_found', {}),
    /* In development the detailed error page is more useful than the friendly one. */
    ...(app.inProduction
      ? {
          /* A 503 (database outage) says so; other 5xx messages may hold internals. */
          '500..599': ((error, { inertia }) =>
            inertia.render('errors/server_error', {
              status: error.status,
              message: error instanceof ApiError ? error.message : undefined,
            })) as StatusPageRenderer,
        }
      : {}),
  }

  protected toHttpError(error: unknown): HttpError {
    const unavailable = databaseUnavailable(error)
    if (unavailable) return unavailable as unknown as HttpError
    const code = (error as { code?: string } | null)?.code
    if (code && CONFLICT_CODES.has(code)) {
      return new ApiError(
        'E_CONFLICT',
        'This changed at the same time somewhere else. Reload and try again.',
        {
          status: 409,
        }
      ) as unknown as HttpError
    }
    return super.toHttpError(error)
  }

  async handle(error: unknown, ctx: HttpContext) {
    ctx.response.header('x-request-id', ctx.request.id() ?? '')
    const httpError = this.toHttpError(error)
    if (httpError instanceof ApiError && httpError.retryAfter !== undefined)
      ctx.response.header('Retry-After', String(httpError.retryAfter))
    if (wantsJson(ctx)) return this.renderApiError(httpError, ctx)
    if (this.#isFormError(httpError, ctx)) return this.#redirectBackWithMessage(httpError, ctx)
    return super.handle(httpError, ctx)
  }

  /* A refused form (a rule like "the last owner cannot leave") goes back to the form with its message. */
  #isFormError(error: unknown, ctx: HttpContext) {
    const httpError = error as HttpError
    return (
      Boolean(ctx.session) &&
      ctx.request.method() !== 'GET' &&
      (error instanceof ApiError || error instanceof limiterErrors.E_TOO_MANY_REQUESTS) &&
      httpError.status !== 404
    )
  }

  #redirectBackWithMessage(error: HttpError, ctx: HttpContext) {
    const field = (error as any).field as string | undefined
    /* Same place VineJS errors go, so forms show it next to the field. */
    if (field) ctx.session.flash({ inputErrorsBag: { [field]: [error.message] } })
    else ctx.session.flash('error', error.message)
    ctx.session.flashExcept(['password', 'passwordConfirmation', 'currentPassword'])
    return ctx.response.redirect().back()
  }

  async renderApiError(error: HttpError, ctx: HttpContext) {
    const status = STATUS_BY_CODE[error.code ?? ''] ?? (error.status >= 400 ? error.status : 500)
    if (error instanceof limiterErrors.E_TOO_MANY_REQUESTS) {
      const headers = error.getDefaultHeaders()
      Object.entries(headers).forEach(([name, value]) => ctx.response.header(name, value))
    }
    /* The request id matches the log lines and the x-request-id header, for support. */
    ctx.response
      .status(status)
      .send({ errors: this.#apiErrors(error, status), requestId: ctx.request.id() ?? null })
  }

  #apiErrors(error: HttpError, status: number): ApiErrorBody[] {
    if (error.code === 'E_VALIDATION_ERROR' && Array.isArray((error as any).messages)) {
      return (error as any).messages.map((message: any) => ({
        code: 'E_VALIDATION_ERROR',
        message: message.message,
        field: message.field,
        rule: message.rule,
      }))
    }
    const code =
      error.code && error.code.startsWith('E_')
        ? error.code
        : (CODE_BY_STATUS[status] ?? 'E_INTERNAL_SERVER_ERROR')
    /* An ApiError's message is written for clients; other 5xx errors' may hold internals. */
    const message =
      status >= 500 && !this.debug && !(error instanceof ApiError)
        ? 'Internal server error'
        : error.message
    const body: ApiErrorBody = { code, message }
    if ((error as any).field) body.field = (error as any).field
    if (error instanceof limiterErrors.E_TOO_MANY_REQUESTS)
      body.retryAfter = error.response.availableIn
    if (error instanceof ApiError && error.retryAfter !== undefined)
      body.retryAfter = error.retryAfter
    return [body]
  }
}
