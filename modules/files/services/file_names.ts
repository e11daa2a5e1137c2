import { extname } from 'node:path'

/*
| A client's file name becomes a label, never a path: the part after the last slash, without
| control characters or quotes, at most 200 characters (the extension kept). Storage keys never
| contain it (companies/<id>/<uuid>), so no name can escape the company's prefix.
*/
export function sanitizeName(raw: string | undefined | null) {
  const base = (raw ?? '').normalize('NFC').split(/[/\\]/).pop() ?? ''
  const clean = base
    // eslint-disable-next-line no-control-regex -- control characters are exactly what goes
    .replace(/[\u0000-\u001f\u007f"<>|*?:]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '')
  if (!clean) return 'file'
  if (clean.length <= 200) return clean
  const extension = extname(clean).slice(0, 20)
  return clean.slice(0, 200 - extension.length) + extension
}

/** `attachment` with an ASCII fallback and the exact name in RFC 5987 form. */
export function contentDisposition(name: string) {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`
}
