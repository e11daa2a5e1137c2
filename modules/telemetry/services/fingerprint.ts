import { createHash } from 'node:crypto'

/*
| Errors are grouped by what stays the same between occurrences: the error type, the message
| with its variable parts (numbers, ids, quoted values, paths) replaced, and the top stack frames
| without line and column numbers, which move with every release.
*/
export const TOP_FRAMES = 3

export function normalizeMessage(message: string) {
  return message
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<uuid>')
    .replace(/\b0x[0-9a-f]+\b/gi, '<hex>')
    .replace(/\b[0-9a-f]{16,}\b/gi, '<hex>')
    .replace(/(["'`])(?:(?!\1).){0,200}\1/g, '<str>')
    .replace(/(?:[A-Za-z]:)?(?:[\\/][\w.@-]+){2,}/g, '<path>')
    .replace(/\d+(?:\.\d+)?/g, '<n>')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 500)
}

/* "at fn (file:line:col)" (V8), "fn@file:line:col" (Firefox/Safari), "File "x", line n, in fn" (Python). */
export function topFrames(stack: string | null, count = TOP_FRAMES) {
  if (!stack) return []
  const frames: string[] = []
  for (const line of stack.split('\n')) {
    const frame = parseFrame(line.trim())
    if (frame) frames.push(frame)
    if (frames.length === count) break
  }
  return frames
}

function parseFrame(line: string) {
  let match = /^at (?:(.+?) \()?(.+?)(?::\d+){0,2}\)?$/.exec(line)
  if (match) return `${match[1] ?? '<anonymous>'} ${stripLocation(match[2])}`
  match = /^(.*)@(.+?)(?::\d+){0,2}$/.exec(line)
  if (match) return `${match[1] || '<anonymous>'} ${stripLocation(match[2])}`
  match = /^File "(.+)", line \d+, in (.+)$/.exec(line)
  if (match) return `${match[2]} ${stripLocation(match[1])}`
  return null
}

/* Keep the file name, not where it was installed (user folders, versioned app directories). */
function stripLocation(file: string) {
  const clean = file.replace(/[?#].*$/, '').replace(/:\d+(?::\d+)?$/, '')
  const parts = clean.split(/[\\/]/)
  return parts.slice(-2).join('/')
}

export type Fingerprinted = { fingerprint: string; culprit: string | null }

export function fingerprint(name: string, message: string | null, stack: string | null) {
  const frames = topFrames(stack)
  const source = [name.trim(), normalizeMessage(message ?? ''), ...frames].join('\n')
  return {
    fingerprint: createHash('sha256').update(source).digest('hex'),
    culprit: frames[0]?.slice(0, 500) ?? null,
  }
}
