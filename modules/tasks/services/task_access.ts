import type Task from '#tasks/models/task'

/* Members see every task of their company; cancelling someone else's needs `tasks:manage`. */
export function canCancel(task: Task, userId: number, can: (permission: string) => boolean) {
  return task.userId === userId || can('tasks:manage')
}
