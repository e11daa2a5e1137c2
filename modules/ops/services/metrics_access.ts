import { createHash, timingSafeEqual } from 'node:crypto'

/*
| Who may read /metrics on the public port: whoever presents METRICS_TOKEN as a bearer token.
| Without a token configured the route answers 404 there; METRICS_PORT serves the metrics on a
| separate listener bound to METRICS_HOST (an internal address) without a token instead.
*/
const digest = (value: string) => createHash('sha256').update(value).digest()

export function metricsTokenAccepted(
  authorization: string | undefined,
  token = process.env.METRICS_TOKEN
) {
  if (!token) return false
  const presented = authorization?.match(/^Bearer\s+(.+)$/i)?.[1]
  return presented ? timingSafeEqual(digest(presented), digest(token)) : false
}
