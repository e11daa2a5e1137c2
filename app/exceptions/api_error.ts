import { Exception } from '@adonisjs/core/exceptions'

/*
| An error with a stable code that the public API and the UI both understand. Modules throw
| these (or subclasses) instead of building responses by hand.
*/
export class ApiError extends Exception {
  field?: string
  /** Seconds after which sending again may succeed: the Retry-After header and `retryAfter`. */
  retryAfter?: number

  constructor(
    code: string,
    message: string,
    options: { status?: number; field?: string; retryAfter?: number; cause?: unknown } = {}
  ) {
    super(message, { code, status: options.status ?? 400, cause: options.cause })
    this.field = options.field
    this.retryAfter = options.retryAfter
  }

  static notFound(message = 'Not found') {
    return new ApiError('E_NOT_FOUND', message, { status: 404 })
  }

  static forbidden(message = 'You are not allowed to do this', code = 'E_FORBIDDEN') {
    return new ApiError(code, message, { status: 403 })
  }

  static conflict(code: string, message: string) {
    return new ApiError(code, message, { status: 409 })
  }

  static invalid(code: string, message: string, field?: string) {
    return new ApiError(code, message, { status: 422, field })
  }
}
