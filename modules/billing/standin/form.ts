/*
| Stripe's request bodies are `application/x-www-form-urlencoded` with bracketed keys
| (`line_items[0][price]=…`, `metadata[plan]=pro`, `expand[0]=…`); this turns them, and query
| strings (`created[gte]=…`), back into nested objects and arrays.
*/
export function parseStripeForm(text: string) {
  const root: Record<string, any> = {}
  for (const [key, value] of new URLSearchParams(text)) {
    const path = key.replace(/\]/g, '').split('[')
    let node: any = root
    path.forEach((part, index) => {
      const last = index === path.length - 1
      const nextIsIndex = !last && /^\d*$/.test(path[index + 1])
      const slot = part === '' && Array.isArray(node) ? node.length : part
      if (last) node[slot] = value
      else node = node[slot] ??= nextIsIndex ? [] : {}
    })
  }
  return root
}
