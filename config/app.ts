import env from '#start/env'
import { defineConfig } from '@adonisjs/core/http'
import proxyAddr from 'proxy-addr'

/* Signs cookies and URLs and keys the encrypter: losing it logs everyone out. */
export const appKey = env.get('APP_KEY')

export const appUrl = env.get('APP_URL')

/* Cookies are Secure (and HSTS is sent) whenever the app is served over https. */
export const servedOverHttps = appUrl.startsWith('https://')

export const http = defineConfig({
  /* Every request gets an id; it is logged and returned in error responses. */
  generateRequestId: true,
  allowMethodSpoofing: false,
  useAsyncLocalStorage: true,
  /*
  | Whose X-Forwarded-For to believe: only proxies on loopback and private networks by default
  | (the Compose proxy), so a client cannot fake its address to dodge per-IP rate limits.
  */
  trustProxy: proxyAddr.compile(
    env
      .get('TRUSTED_PROXIES', 'loopback,uniquelocal')
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean)
  ),
  cookie: {
    domain: '',
    path: '/',
    maxAge: '2h',
    httpOnly: true,
    secure: servedOverHttps,
    sameSite: 'lax',
  },
})
