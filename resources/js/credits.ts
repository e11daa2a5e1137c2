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

/*
| A page's live balance for one company. `credits.balance` goes to every company of the user
| (one socket per tab), so updates for other companies are ignored. A push sent while the tab
| was not connected (before its socket joined the company's room, or during a reconnect) is
| never made up, so on every `connect` the page reloads `balance` and the props in
| `reloadOnConnect` (a partial reload: the controllers compute props only when asked).
*/
export function useCompanyBalance(options: {
  companyId: () => number | undefined
  balance: Ref<Balance>
  onChange?: () => void
  reloadOnConnect?: string[]
}) {
  const onBalance = (update: Balance & { companyId?: number }) => {
    if (update.companyId !== undefined && update.companyId !== options.companyId()) return
    options.balance.value = {
      balance: update.balance,
      held: update.held,
      available: update.available,
    }
    options.onChange?.()
  }
  const onConnect = () => router.reload({ only: ['balance', ...(options.reloadOnConnect ?? [])] })
  onMounted(() => {
    const socket = realtime()
    socket.on('credits.balance', onBalance)
    socket.on('connect', onConnect)
  })
  onBeforeUnmount(() => {
    const socket = realtime()
    socket.off('credits.balance', onBalance)
    socket.off('connect', onConnect)
  })
}

/* The credits page: the balance at once, then the lists at most every second. */
const LISTS = ['entries', 'grants', 'holds', 'usage']

export function useLiveBalance(balance: Ref<Balance>, companyId: () => number | undefined) {
  let timer: ReturnType<typeof setTimeout> | undefined
  let pending = false
  const reloadLists = () => {
    if (timer) {
      pending = true
      return
    }
    router.reload({ only: LISTS })
    timer = setTimeout(() => {
      timer = undefined
      if (pending) {
        pending = false
        reloadLists()
      }
    }, 1000)
  }
  useCompanyBalance({ companyId, balance, onChange: reloadLists, reloadOnConnect: LISTS })
  onBeforeUnmount(() => {
    if (timer) clearTimeout(timer)
  })
}
