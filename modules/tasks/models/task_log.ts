import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

export default class TaskLog extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column({ consume: (value) => Number(value) })
  declare taskId: number

  @column()
  declare level: 'info' | 'error'

  @column()
  declare message: string

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
