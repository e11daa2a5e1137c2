import { DateTime } from 'luxon'
import { jsonColumn } from '#app/helpers/json_column'
import { BaseModel, belongsTo, column, hasMany } from '@adonisjs/lucid/orm'
import type { BelongsTo, HasMany } from '@adonisjs/lucid/types/relations'
import User from '#accounts/models/user'
import Company from '#accounts/models/company'
import TaskLog from '#tasks/models/task_log'

export type TaskStatus = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled'
export const FINISHED: TaskStatus[] = ['completed', 'failed', 'cancelled']

export default class Task extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare companyId: number | null

  @column()
  declare userId: number | null

  @column()
  declare title: string

  @column()
  declare jobName: string

  @column()
  declare jobId: string

  @column()
  declare queue: string

  @column()
  declare status: TaskStatus

  @column()
  declare progress: number

  @column()
  declare message: string | null

  @column()
  declare attempts: number

  @column(jsonColumn)
  declare result: Record<string, unknown> | null

  @column({ serializeAs: null })
  declare resultFile: string | null

  @column()
  declare resultFileName: string | null

  @column({ consume: (value) => (value === null ? null : Number(value)) })
  declare resultFileSize: number | null

  @column()
  declare errorCode: string | null

  @column()
  declare error: string | null

  @column.dateTime()
  declare cancelRequestedAt: DateTime | null

  @column.dateTime()
  declare startedAt: DateTime | null

  @column.dateTime()
  declare finishedAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @belongsTo(() => User)
  declare user: BelongsTo<typeof User>

  @belongsTo(() => Company)
  declare company: BelongsTo<typeof Company>

  @hasMany(() => TaskLog)
  declare logs: HasMany<typeof TaskLog>

  get finished() {
    return FINISHED.includes(this.status)
  }
}
