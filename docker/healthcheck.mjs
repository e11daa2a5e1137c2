/*
| Container healthcheck: GET http://<listen address>:$PORT$HEALTHCHECK_PATH, healthy on 2xx.
| The path comes from HEALTHCHECK_PATH (set in docker/Dockerfile, overridable per service): it is
| /api/v1/openapi.json until /health/ready exists, then only that one ENV line changes.
| Uses Node's fetch because the slim image has neither curl nor wget.
*/
const port = process.env.PORT || '3333'
const path = process.env.HEALTHCHECK_PATH || '/api/v1/openapi.json'
const listen = process.env.HOST || '0.0.0.0'
/* A wildcard listen address is reached through loopback; a specific one is used as is. */
const host = ['0.0.0.0', '::', ''].includes(listen) ? '127.0.0.1' : listen
const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}${path}`

try {
  const response = await fetch(url, {
    headers: { accept: 'application/json' },
    redirect: 'manual',
    signal: AbortSignal.timeout(4000),
  })
  if (!response.ok) {
    console.error(`unhealthy: ${url} answered ${response.status}`)
    process.exit(1)
  }
  process.exit(0)
} catch (error) {
  console.error(`unhealthy: ${url}: ${error?.cause?.code ?? error?.message ?? error}`)
  process.exit(1)
}
