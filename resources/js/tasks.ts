import { onBeforeUnmount, onMounted, type Ref } from 'vue'
import { router } from '@inertiajs/vue3'
import { connected, realtime } from '~/realtime'

/*
| Tasks as the server presents them, kept live: `task.updated` events replace the task in the
| list (or add it on top), and while something is still running without a realtime connection,
| the page reloads its props every few seconds instead.
*/
export type Task = {
  id: number
  companyId: number | null
  title: string
  job: string
  status: 'queued' | 'running' | 'completed' | 'failed' | 'cancelled'
  progress: number
  message: string | null
  attempts: number
  result: Record<string, unknown> | null
  file: { name: string; size: number } | null
  error: { code: string | null; message: string } | null
  cancelRequested: boolean
  createdAt: string
  startedAt: string | null
  finishedAt: string | null
  by?: string | null
  company?: string | null
  canCancel?: boolean
}

export const isFinished = (task: Task) => ['completed', 'failed', 'cancelled'].includes(task.status)

export function useLiveTasks(tasks: Ref<Task[]>, options: { prepend: boolean }) {
  const onUpdate = (update: Task) => {
    const index = tasks.value.findIndex((task) => task.id === update.id)
    if (index >= 0) tasks.value[index] = { ...tasks.value[index], ...update }
    else if (options.prepend) tasks.value.unshift({ ...update, canCancel: true })
  }
  let poll: ReturnType<typeof setInterval> | undefined
  onMounted(() => {
    realtime().on('task.updated', onUpdate)
    poll = setInterval(() => {
      if (!connected.value && tasks.value.some((task) => !isFinished(task))) {
        router.reload({ only: ['tasks'] })
      }
    }, 5000)
  })
  onBeforeUnmount(() => {
    realtime().off('task.updated', onUpdate)
    clearInterval(poll)
  })
}

export function formatBytes(bytes: number) {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 ** 2).toFixed(1)} MB`
}

export function duration(task: Task) {
  if (!task.startedAt) return null
  const end = task.finishedAt ? new Date(task.finishedAt) : new Date()
  const seconds = Math.max(
    0,
    Math.round((end.getTime() - new Date(task.startedAt).getTime()) / 1000)
  )
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m ${seconds % 60}s`
}
