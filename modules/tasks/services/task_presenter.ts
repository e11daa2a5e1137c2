import type Task from '#tasks/models/task'

/* The shape of a task in pages, the API and realtime events (`task.updated`). */
export function presentTask(task: Task) {
  return {
    id: task.id,
    companyId: task.companyId,
    userId: task.userId,
    title: task.title,
    job: task.jobName,
    status: task.status,
    progress: task.progress,
    message: task.message,
    attempts: task.attempts,
    result: task.result,
    file: task.resultFile
      ? { name: task.resultFileName ?? 'result', size: task.resultFileSize ?? 0 }
      : null,
    error: task.error ? { code: task.errorCode, message: task.error } : null,
    cancelRequested: Boolean(task.cancelRequestedAt),
    createdAt: task.createdAt.toISO(),
    startedAt: task.startedAt?.toISO() ?? null,
    finishedAt: task.finishedAt?.toISO() ?? null,
  }
}

export type PresentedTask = ReturnType<typeof presentTask>
