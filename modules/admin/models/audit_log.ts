import { DateTime } from 'luxon'
import { jsonColumn } from '#app/helpers/json_column'
import { BaseModel, column } from '@adonisjs/lucid/orm'

export default class AuditLog extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare actorId: number | null

  @column()
  declare actorEmail: string | null

  @column()
  declare action: string

  @column()
  declare subjectType: string

  @column()
  declare subjectId: string | null

  @column()
  declare subjectLabel: string | null

  @column(jsonColumn)
  declare before: Record<string, unknown> | null

  @column(jsonColumn)
  declare after: Record<string, unknown> | null

  @column()
  declare ip: string | null

  @column()
  declare requestId: string | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
