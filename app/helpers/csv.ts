/*
| CSV for spreadsheets: RFC 4180 quoting, and cells that a spreadsheet would run as a formula
| (starting with = + - @ or a control character) are prefixed with a quote (OWASP CSV injection).
*/
export function csvCell(value: unknown) {
  if (value === null || value === undefined) return ''
  let text = typeof value === 'object' ? JSON.stringify(value) : String(value)
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export function csvLine(values: unknown[]) {
  return `${values.map(csvCell).join(',')}\r\n`
}
