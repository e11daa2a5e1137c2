import { test } from '@japa/runner'
import { applyTimer, DEFAULT_TIMER, positionOf, presentTimer } from '#rooms/services/timer_state'

/* The focus timer's arithmetic: phases follow each other from one anchor, pauses shift it. */
const t0 = 1_000_000
const s = (seconds: number) => seconds * 1000

test.group('Focus timer state', () => {
  test('runs focus then break then the next cycle without anyone flipping phases', ({ assert }) => {
    const running = applyTimer(
      DEFAULT_TIMER,
      { type: 'start', focusSeconds: 60, breakSeconds: 30 },
      t0
    )
    assert.deepInclude(positionOf(running, t0 + s(10)), {
      phase: 'focus',
      cycle: 1,
      remainingMs: s(50),
    })
    assert.deepInclude(positionOf(running, t0 + s(60)), {
      phase: 'break',
      cycle: 1,
      remainingMs: s(30),
    })
    assert.deepInclude(positionOf(running, t0 + s(95)), {
      phase: 'focus',
      cycle: 2,
      remainingMs: s(55),
    })
    assert.equal(positionOf(running, t0 + s(95)).endsAt, t0 + s(150))
  })

  test('pause keeps the remaining time; resume continues from it', ({ assert }) => {
    const running = applyTimer(
      DEFAULT_TIMER,
      { type: 'start', focusSeconds: 60, breakSeconds: 30 },
      t0
    )
    const paused = applyTimer(running, { type: 'pause' }, t0 + s(20))
    assert.deepInclude(positionOf(paused, t0 + s(500)), { remainingMs: s(40), endsAt: null })
    const resumed = applyTimer(paused, { type: 'resume' }, t0 + s(500))
    assert.deepInclude(positionOf(resumed, t0 + s(510)), { phase: 'focus', remainingMs: s(30) })
    const reset = applyTimer(resumed, { type: 'reset' }, t0 + s(511))
    assert.deepEqual(presentTimer(1, reset, t0 + s(600)).remainingMs, s(60))
    assert.equal(reset.status, 'idle')
  })

  test('refuses the impossible presses with stable codes', ({ assert }) => {
    const running = applyTimer(DEFAULT_TIMER, { type: 'start' }, t0)
    assert.throws(() => applyTimer(running, { type: 'start' }, t0), 'The timer is already running')
    assert.throws(
      () => applyTimer(DEFAULT_TIMER, { type: 'pause' }, t0),
      'The timer is not running'
    )
    assert.throws(() => applyTimer(running, { type: 'resume' }, t0), 'The timer is not paused')
  })

  test('new durations keep the phase and the time spent in it', ({ assert }) => {
    const running = applyTimer(
      DEFAULT_TIMER,
      { type: 'start', focusSeconds: 60, breakSeconds: 30 },
      t0
    )
    const inBreak = t0 + s(70)
    const longer = applyTimer(
      running,
      { type: 'configure', focusSeconds: 120, breakSeconds: 60 },
      inBreak
    )
    assert.deepInclude(positionOf(longer, inBreak), {
      phase: 'break',
      cycle: 1,
      remainingMs: s(50),
    })
    const shorter = applyTimer(
      running,
      { type: 'configure', focusSeconds: 60, breakSeconds: 5 },
      inBreak
    )
    assert.deepInclude(positionOf(shorter, inBreak), {
      phase: 'focus',
      cycle: 2,
      remainingMs: s(60),
    })
  })
})
