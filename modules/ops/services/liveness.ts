/*
| What GET /health/live answers: the process is up, since when. No dependency is touched, so a
| slow database never makes an orchestrator restart a healthy process.
*/
const started = Date.now()

export function liveness() {
  return { status: 'ok' as const, uptimeSeconds: Math.round((Date.now() - started) / 1000) }
}
