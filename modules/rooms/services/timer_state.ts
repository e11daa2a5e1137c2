import { ApiError } from '#app/exceptions/api_error'

/*
| The focus timer as data: pure functions from (state, action, now) to the next state, so every
| app process — and every client — derives the same phase and remaining time from the same row.
| A running timer stores only `anchorAt`, the moment its first focus phase began (moved forward
| by pauses); phases then follow each other without anyone having to flip them.
*/
export type TimerStatus = 'idle' | 'running' | 'paused'
export type TimerState = {
  status: TimerStatus
  focusSeconds: number
  breakSeconds: number
  anchorAt: number | null
  elapsedMs: number
}
export type TimerAction =
  | { type: 'start'; focusSeconds?: number; breakSeconds?: number }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'reset' }
  | { type: 'configure'; focusSeconds: number; breakSeconds: number }

export const DEFAULT_TIMER: TimerState = {
  status: 'idle',
  focusSeconds: 25 * 60,
  breakSeconds: 5 * 60,
  anchorAt: null,
  elapsedMs: 0,
}

export function elapsedOf(state: TimerState, now: number) {
  return state.status === 'running' && state.anchorAt !== null
    ? Math.max(0, now - state.anchorAt)
    : state.elapsedMs
}

/** Where the timer is: phase, cycle (from 1), ms left in the phase and when it ends. */
export function positionOf(state: TimerState, now: number) {
  const focusMs = state.focusSeconds * 1000
  const cycleMs = focusMs + state.breakSeconds * 1000
  const elapsed = elapsedOf(state, now)
  const inCycle = elapsed % cycleMs
  const phase: 'focus' | 'break' = inCycle < focusMs ? 'focus' : 'break'
  const phaseStart = phase === 'focus' ? 0 : focusMs
  const remainingMs = (phase === 'focus' ? focusMs : cycleMs) - inCycle
  return {
    phase,
    cycle: Math.floor(elapsed / cycleMs) + 1,
    inPhaseMs: inCycle - phaseStart,
    remainingMs,
    endsAt: state.status === 'running' ? now + remainingMs : null,
  }
}

export function applyTimer(state: TimerState, action: TimerAction, now: number): TimerState {
  switch (action.type) {
    case 'start': {
      if (state.status === 'running')
        throw ApiError.conflict('E_TIMER_RUNNING', 'The timer is already running')
      const focusSeconds = action.focusSeconds ?? state.focusSeconds
      const breakSeconds = action.breakSeconds ?? state.breakSeconds
      return { status: 'running', focusSeconds, breakSeconds, anchorAt: now, elapsedMs: 0 }
    }
    case 'pause':
      if (state.status !== 'running')
        throw ApiError.conflict('E_TIMER_NOT_RUNNING', 'The timer is not running')
      return { ...state, status: 'paused', anchorAt: null, elapsedMs: elapsedOf(state, now) }
    case 'resume':
      if (state.status !== 'paused')
        throw ApiError.conflict('E_TIMER_NOT_PAUSED', 'The timer is not paused')
      return { ...state, status: 'running', anchorAt: now - state.elapsedMs, elapsedMs: 0 }
    case 'reset':
      return { ...state, status: 'idle', anchorAt: null, elapsedMs: 0 }
    case 'configure':
      return configure(state, action, now)
  }
}

/* New durations keep the phase and the time already spent in it (a phase that became shorter than that ends now). */
function configure(
  state: TimerState,
  durations: { focusSeconds: number; breakSeconds: number },
  now: number
): TimerState {
  const next = { ...state, ...durations }
  if (state.status === 'idle') return { ...next, elapsedMs: 0, anchorAt: null }
  const at = positionOf(state, now)
  const focusMs = durations.focusSeconds * 1000
  const cycleMs = focusMs + durations.breakSeconds * 1000
  const phaseMs = at.phase === 'focus' ? focusMs : cycleMs - focusMs
  const elapsed =
    (at.cycle - 1) * cycleMs +
    (at.phase === 'break' ? focusMs : 0) +
    Math.min(at.inPhaseMs, phaseMs)
  return state.status === 'running'
    ? { ...next, anchorAt: now - elapsed, elapsedMs: 0 }
    : { ...next, anchorAt: null, elapsedMs: elapsed }
}

/** What clients receive: enough to count down locally against their estimate of server time. */
export function presentTimer(roomId: number, state: TimerState, now: number) {
  const at = positionOf(state, now)
  return {
    roomId,
    status: state.status,
    phase: at.phase,
    cycle: at.cycle,
    focusSeconds: state.focusSeconds,
    breakSeconds: state.breakSeconds,
    remainingMs: at.remainingMs,
    endsAt: at.endsAt,
    anchorAt: state.anchorAt,
    elapsedMs: elapsedOf(state, now),
    serverNow: now,
  }
}
export type TimerView = ReturnType<typeof presentTimer>
