/*
| An expiry given by a person: a date (end of that day, UTC), an ISO time, or a duration from
| now (`30d`, `12h`, `90m`). Returns milliseconds, or undefined when it cannot be read.
*/
const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }

export function parseExpiry(value: string, now: number): number | undefined {
  const duration = /^(\d{1,5})([mhdw])$/.exec(value.trim())
  if (duration) return now + Number(duration[1]) * UNITS[duration[2]]
  if (/^\d{4}-\d{2}-\d{2}$/.test(value.trim())) {
    const end = Date.parse(`${value.trim()}T23:59:59.999Z`)
    return Number.isNaN(end) ? undefined : end
  }
  const time = Date.parse(value)
  return Number.isNaN(time) ? undefined : time
}
