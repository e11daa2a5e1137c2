import { onBeforeUnmount, onMounted, type Ref } from 'vue'
import { router } from '@inertiajs/vue3'
import { realtime } from '~/realtime'

/*
| The credits page stays live: `credits.balance` replaces the balance at once, then the lists
| (ledger, grants, holds, usage) are reloaded — at most every second while changes pour in.
*/
export type Balance = { balance: number; held: number; available: number }

export type Entry = {
  id: number
  type: string
  amount: number
  heldChange: number
  balanceAfter: number
  reason: string
  actor: { type: string; id: string | null }
  createdAt: string
}

export type LedgerPage = { data: Entry[]; nextCursor: string | null }
export type LedgerFilters = { type: string; cursor: string }

export type Grant = {
  id: number
  kind: string
  amount: number
  remaining: number
  expiresAt: string | null
}

export type Hold = { id: number; amount: number; reason: string; expiresAt: string }

export const ENTRY_TYPES = [
  'consume',
  'hold',
  'capture',
  'release',
  'grant',
  'purchase',
  'expire',
  'adjust',
  'refund',
]

export function useLiveBalance(balance: Ref<Balance>) {
  let timer: ReturnType<typeof setTimeout> | undefined
  let pending = false
  const reloadLists = () => {
    if (timer) {
      pending = true
      return
    }
    router.reload({ only: ['entries', 'grants', 'holds', 'usage'] })
    timer = setTimeout(() => {
      timer = undefined
      if (pending) {
        pending = false
        reloadLists()
      }
    }, 1000)
  }
  const onBalance = (update: Balance) => {
    balance.value = update
    reloadLists()
  }
  onMounted(() => realtime().on('credits.balance', onBalance))
  onBeforeUnmount(() => {
    realtime().off('credits.balance', onBalance)
    if (timer) clearTimeout(timer)
  })
}
