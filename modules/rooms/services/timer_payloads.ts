import type { TimerAction } from '#rooms/services/timer_state'
import { invalid } from '#rooms/services/socket_errors'

/* Durations a timer accepts, in seconds: from 1 second (tests, drills) to 4 hours. */
export const DURATION_LIMITS = { min: 1, max: 4 * 3600 }

function seconds(payload: Record<string, unknown>, field: string, required: boolean) {
  const value = payload[field]
  if (value === undefined && !required) return undefined
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < DURATION_LIMITS.min ||
    value > DURATION_LIMITS.max
  )
    throw invalid(
      `${field} must be a whole number of seconds from ${DURATION_LIMITS.min} to ${DURATION_LIMITS.max}`,
      field
    )
  return value
}

/** The timer action an event (`timer:start`, …) asks for, with its durations checked. */
export function timerAction(
  type: TimerAction['type'],
  payload: Record<string, unknown>
): TimerAction {
  if (type === 'start')
    return {
      type,
      focusSeconds: seconds(payload, 'focusSeconds', false),
      breakSeconds: seconds(payload, 'breakSeconds', false),
    }
  if (type === 'configure')
    return {
      type,
      focusSeconds: seconds(payload, 'focusSeconds', true)!,
      breakSeconds: seconds(payload, 'breakSeconds', true)!,
    }
  return { type }
}
