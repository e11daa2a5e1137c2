/* Shared by the billing pages. */
export const money = (cents: number, currency = 'usd') =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(cents / 100)

export const date = (iso: string | null) => (iso ? new Date(iso).toLocaleDateString() : '—')

export const STATUS_STYLE: Record<string, string> = {
  trialing: 'bg-sky-100 text-sky-800',
  active: 'bg-emerald-100 text-emerald-800',
  past_due: 'bg-amber-100 text-amber-800',
  unpaid: 'bg-rose-100 text-rose-800',
  canceled: 'bg-slate-200 text-slate-700',
  none: 'bg-slate-100 text-slate-600',
}
