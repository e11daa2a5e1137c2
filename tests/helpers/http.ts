import type { ApiResponse } from '@japa/api-client'

/*
| Field errors a form receives after a redirect back (the session's inputErrorsBag, which the
| Inertia middleware turns into `errors` for the page).
*/
export function fieldErrors(response: ApiResponse): Record<string, string[]> {
  return response.flashMessages().inputErrorsBag ?? {}
}

/* The API's error body: `{ errors: [{ code, message, field? }] }`. */
export function apiErrors(response: ApiResponse): Array<{ code: string; message: string; field?: string }> {
  return response.body().errors
}
