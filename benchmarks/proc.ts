import { readdirSync, readFileSync } from 'node:fs'

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

/*
| utime + stime of every local PostgreSQL process (the postmaster, its background workers and the
| backends serving the run), in clock ticks; null when there is none (not Linux, or the server is
| on another host). A backend that exits in between takes its ticks with it: the benchmark's
| connections stay open while it measures.
*/
export function postgresTicks() {
  let total = 0
  let found = false
  let pids: string[]
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name))
  } catch {
    return null
  }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1')
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) !== 'postgres') continue
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      total += Number(fields[11]) + Number(fields[12])
      found = true
    } catch {
      /* exited while listing */
    }
  }
  return found ? total : null
}
