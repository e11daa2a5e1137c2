import { existsSync } from 'node:fs'

/* Debian's Chromium, launched the way this machine's closed network needs (no background calls). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
  /* Video calls: a synthetic camera and microphone, allowed without a prompt. */
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
]

export function chromiumPath() {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
  if (!existsSync(path))
    throw new Error(
      `Chromium not found at ${path}: apt-get install -y chromium, or set CHROMIUM_PATH`
    )
  return path
}
