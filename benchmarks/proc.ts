import { readFileSync } from 'node:fs'

/* utime + stime of a process, all threads, in clock ticks (1/100 s on Linux); null elsewhere. */
export function processTicks(pid: number | undefined) {
  if (!pid) return null
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return Number(fields[11]) + Number(fields[12])
  } catch {
    return null
  }
}

/* CPU used between two readings, in % of one core. */
export function cpuPercent(start: number | null, end: number | null, durationMs: number) {
  return start === null || end === null ? null : Math.round(((end - start) * 1000) / durationMs)
}
