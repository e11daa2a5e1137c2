import env from '#start/env'
import { urlFor, signedUrlFor } from '@adonisjs/core/services/url_builder'

/*
| Absolute links for mails and API responses, built from APP_URL and route names.
| Route names are checked at run time (an unknown name throws).
*/
type Params = Record<string, string | number> | undefined
type Options = { qs?: Record<string, any> }

export function routeUrl(name: string, params?: Params, options: Options = {}) {
  return (urlFor as any)(name, params, { ...options, prefixUrl: appUrl() }) as string
}

export function signedRouteUrl(
  name: string,
  params: Params,
  options: Options & { expiresIn: string; purpose: string }
) {
  return (signedUrlFor as any)(name, params, { ...options, prefixUrl: appUrl() }) as string
}

export function routePath(name: string, params?: Params, options: Options = {}) {
  return (urlFor as any)(name, params, options) as string
}

function appUrl() {
  return env.get('APP_URL').replace(/\/$/, '')
}

/*
| A path on this site that is safe to redirect to after login: it must stay on this origin once
| a browser has resolved it (which rules out `//host`, `/\host`, schemes and control characters).
*/
export function isLocalPath(value: unknown): value is string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.includes('\\')) return false
  if ([...value].some((char) => char.charCodeAt(0) < 0x20)) return false
  const base = 'http://tandem.invalid'
  return new URL(value, base).origin === base
}
