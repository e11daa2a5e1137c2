import type { ApiResponse } from '@japa/api-client'

/*
| Field errors a form receives after a redirect back (the session's inputErrorsBag, which the
| Inertia middleware turns into `errors` for the page).
*/
export function fieldErrors(response: ApiResponse): Record<string, string[]> {
  return (response.flashMessages().inputErrorsBag ?? {}) as Record<string, string[]>
}

/* The API's error body: `{ errors: [{ code, message, field? }] }`. */
export function apiErrors(
  response: ApiResponse
): Array<{ code: string; message: string; field?: string }> {
  return response.body().errors
}

/*
| Logs in the way a browser does (GET the form for the CSRF cookie, POST it back) over plain
| fetch, and returns the Cookie header of the signed-in session. Unlike the API client, nothing
| tears the session down after the response.
*/
export async function browserLogin(baseUrl: string, email: string, password: string) {
  const jar = new Map<string, string>()
  const keep = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const index = pair.indexOf('=')
      jar.set(pair.slice(0, index), pair.slice(index + 1))
    }
  }
  const header = () => [...jar].map(([name, value]) => `${name}=${value}`).join('; ')

  /* As an Inertia visit, so the page comes back as JSON (no built assets needed). */
  keep(
    await fetch(`${baseUrl}/login`, {
      headers: { 'x-inertia': 'true', 'x-requested-with': 'XMLHttpRequest' },
    })
  )
  const response = await fetch(`${baseUrl}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'cookie': header(),
      'content-type': 'application/x-www-form-urlencoded',
      'x-xsrf-token': decodeURIComponent(jar.get('XSRF-TOKEN') ?? ''),
    },
    body: new URLSearchParams({ email, password }),
  })
  keep(response)
  if (response.headers.get('location') !== '/dashboard')
    throw new Error(`login failed: ${response.status} ${response.headers.get('location')}`)
  return header()
}

/* A flash message as text (success / error / token). */
export function flash(response: ApiResponse, key: string): string {
  return String(response.flashMessage(key) ?? '')
}

/* The Set-Cookie lines of a response. */
export function setCookies(response: ApiResponse): string[] {
  const header = response.headers()['set-cookie'] as string | string[] | undefined
  return Array.isArray(header) ? header : header ? [header] : []
}
