import { fileTypeFromBuffer } from 'file-type'

/* What the bytes are, from their first few kilobytes; the client's Content-Type is not trusted. */
export const SNIFF_BYTES = 4100

export async function detectMime(head: Buffer) {
  const detected = await fileTypeFromBuffer(head)
  if (detected) return detected.mime
  if (head.length && !head.includes(0) && isUtf8(head)) return 'text/plain'
  return 'application/octet-stream'
}

/* A head cut mid-character is still text: ignore up to 3 trailing bytes. */
function isUtf8(head: Buffer) {
  for (let cut = 0; cut < 4 && cut < head.length; cut++) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, head.length - cut))
      return true
    } catch {}
  }
  return false
}
