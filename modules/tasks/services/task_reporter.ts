import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { DateTime } from 'luxon'
import type { ApplicationService } from '@adonisjs/core/types'
import type { JobMeta, JobReporter, TaskInput } from '#app/queue/reporter'
import { Realtime } from '#app/realtime/realtime'
import Task from '#tasks/models/task'
import TaskLog from '#tasks/models/task_log'
import { presentTask } from '#tasks/services/task_presenter'

/*
| Turns job lifecycle calls into task rows and live events. Every change is pushed to the
| company's room as `task.updated` (the whole task) and log lines as `task.log`. Works from
| any process: without a Socket.IO server (a worker), pushes go through Redis.
*/
export class TaskReporter implements JobReporter {
  constructor(protected app: ApplicationService) {}

  resultsDir(taskId: number) {
    return this.app.makePath('storage', 'tasks', String(taskId))
  }

  async createTask(input: TaskInput & { jobName: string; jobId: string; queue: string }) {
    const task = await Task.create({
      companyId: input.companyId,
      userId: input.userId,
      title: input.title.slice(0, 200),
      jobName: input.jobName,
      jobId: input.jobId,
      queue: input.queue,
      status: 'queued',
      progress: 0,
      attempts: 0,
    })
    await this.#push(task)
    return task.id
  }

  async discardTask(taskId: number) {
    await Task.query().where('id', taskId).delete()
  }

  async started(meta: JobMeta, attempt: number) {
    await this.#update(meta, (task) => {
      task.status = 'running'
      task.attempts = attempt
      task.startedAt ??= DateTime.now()
      task.message = attempt > 1 ? `Attempt ${attempt}` : task.message
    })
  }

  async progress(meta: JobMeta, percent: number, message: string | null) {
    await this.#update(meta, (task) => {
      if (task.status !== 'running') return false
      task.progress = percent
      if (message !== null) task.message = message.slice(0, 500)
    })
  }

  async log(meta: JobMeta, level: 'info' | 'error', message: string) {
    if (!meta.taskId) return
    const line = await TaskLog.create({ taskId: meta.taskId, level, message })
    const task = await Task.find(meta.taskId)
    if (task?.companyId) {
      const realtime = await this.app.container.make(Realtime)
      realtime.toCompany(task.companyId).emit('task.log', {
        taskId: task.id,
        level,
        message,
        at: line.createdAt.toISO(),
      })
    }
  }

  async completed(meta: JobMeta, result: unknown) {
    const file = await this.#keepFile(meta, result)
    await this.#update(meta, (task) => {
      task.status = 'completed'
      task.progress = 100
      task.finishedAt = DateTime.now()
      task.result = withoutFile(result)
      if (file) Object.assign(task, file)
    })
  }

  async failed(meta: JobMeta, error: { code: string; message: string }, willRetry: boolean) {
    await this.#update(meta, (task) => {
      task.errorCode = error.code
      task.error = error.message.slice(0, 5000)
      if (willRetry) {
        task.status = 'queued'
        task.message = `Attempt ${task.attempts} failed, retrying`
        return
      }
      task.status = 'failed'
      task.finishedAt = DateTime.now()
    })
  }

  async cancelled(meta: JobMeta) {
    await this.#update(meta, (task) => {
      task.status = 'cancelled'
      task.message = 'Cancelled'
      task.finishedAt = DateTime.now()
    })
  }

  async isCancelled(meta: JobMeta) {
    if (!meta.taskId) return false
    const task = await Task.query().where('id', meta.taskId).select('cancel_requested_at').first()
    return Boolean(task?.cancelRequestedAt)
  }

  async push(task: Task) {
    await this.#push(task)
  }

  async #update(meta: JobMeta, change: (task: Task) => void | false) {
    if (!meta.taskId) return
    const task = await Task.find(meta.taskId)
    if (!task || task.finished) return
    if (change(task) === false) return
    await task.save()
    await this.#push(task)
  }

  async #push(task: Task) {
    if (!task.companyId) return
    const realtime = await this.app.container.make(Realtime)
    realtime.toCompany(task.companyId).emit('task.updated', presentTask(task))
  }

  /* A job may return `{ file: { path, name } }`: the file moves into the task's folder. */
  async #keepFile(meta: JobMeta, result: unknown) {
    const file = (result as any)?.file
    if (!meta.taskId || typeof file?.path !== 'string') return null
    const dir = this.resultsDir(meta.taskId)
    await mkdir(dir, { recursive: true })
    const name = basename(String(file.name ?? basename(file.path)))
    const target = join(dir, name)
    await rename(file.path, target).catch(async () => {
      await copyFile(file.path, target)
      await rm(file.path, { force: true })
    })
    const { size } = await stat(target)
    return { resultFile: target, resultFileName: name, resultFileSize: size }
  }
}

function withoutFile(result: unknown) {
  if (result === undefined || result === null) return null
  if (typeof result !== 'object' || Array.isArray(result)) return { value: result }
  const { file, ...rest } = result as Record<string, unknown>
  return Object.keys(rest).length ? rest : null
}
