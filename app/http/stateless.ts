/*
| Requests that never carry a browser session: the public API (bearer tokens), webhooks (signed
| by their sender), health probes and metrics. They skip sessions, Shield, silent auth and Inertia, which keeps probes cheap and
| keeps cookies off machine clients.
*/
export function isStateless(url: string) {
  return (
    url.startsWith('/api/') ||
    url.startsWith('/webhooks/') ||
    url.startsWith('/health/') ||
    url === '/metrics'
  )
}
