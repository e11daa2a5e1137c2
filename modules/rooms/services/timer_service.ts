import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { RoomsSettings } from '#rooms/services/rooms_settings'
import { RoomsBroadcast } from '#rooms/services/rooms_broadcast'
import {
  applyTimer,
  DEFAULT_TIMER,
  presentTimer,
  type TimerAction,
  type TimerState,
} from '#rooms/services/timer_state'

/*
| The room's timer lives in room_timers. A change bumps `version` first — that UPDATE locks the
| row on PostgreSQL and MariaDB and the database on SQLite — then reads, applies and writes, so
| two people pressing start at once produce one start and one clear refusal.
*/
@inject()
export class TimerService {
  constructor(
    private settings: RoomsSettings,
    private broadcast: RoomsBroadcast
  ) {}

  async view(roomId: number) {
    const row = await db.from('room_timers').where('room_id', roomId).first()
    return presentTimer(roomId, row ? toState(row) : DEFAULT_TIMER, this.settings.now())
  }

  async apply(roomId: number, userId: number, action: TimerAction) {
    const view = await db.transaction(async (trx) => {
      await this.#ensureRow(trx, roomId)
      await trx.from('room_timers').where('room_id', roomId).increment('version', 1)
      const row = await trx.from('room_timers').where('room_id', roomId).first()
      const now = this.settings.now()
      const next = applyTimer(toState(row), action, now)
      await trx.from('room_timers').where('room_id', roomId).update({
        status: next.status,
        focus_seconds: next.focusSeconds,
        break_seconds: next.breakSeconds,
        anchor_at: next.anchorAt,
        elapsed_ms: next.elapsedMs,
        updated_by: userId,
        updated_at: now,
      })
      return presentTimer(roomId, next, now)
    })
    this.broadcast.timer(view)
    return view
  }

  async #ensureRow(trx: TransactionClientContract, roomId: number) {
    const exists = await trx.from('room_timers').where('room_id', roomId).first()
    if (exists) return
    await trx.table('room_timers').insert({
      room_id: roomId,
      status: DEFAULT_TIMER.status,
      focus_seconds: DEFAULT_TIMER.focusSeconds,
      break_seconds: DEFAULT_TIMER.breakSeconds,
      elapsed_ms: 0,
      updated_at: this.settings.now(),
    })
  }
}

function toState(row: Record<string, any>): TimerState {
  return {
    status: row.status,
    focusSeconds: Number(row.focus_seconds),
    breakSeconds: Number(row.break_seconds),
    anchorAt: row.anchor_at === null ? null : Number(row.anchor_at),
    elapsedMs: Number(row.elapsed_ms),
  }
}
