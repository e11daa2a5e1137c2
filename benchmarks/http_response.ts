/*
| Reading HTTP/1.1 responses off a raw keep-alive socket, for the load generators (load.ts,
| telemetry.ts): cheaper than an HTTP client, so the load generator leaves more of a small
| machine's CPU to the server it measures.
*/
const HEAD_END = Buffer.from('\r\n\r\n')
const LAST_CHUNK = Buffer.from('0\r\n\r\n')

/* Length of the first complete response in `buffer`, or 0 when it is not complete yet. */
export function completeResponse(buffer: Buffer) {
  const headEnd = buffer.indexOf(HEAD_END)
  if (headEnd < 0) return 0
  const head = buffer.toString('latin1', 0, headEnd)
  const length = /\r\ncontent-length:[ \t]*(\d+)/i.exec(head)
  if (length) {
    const total = headEnd + 4 + Number(length[1])
    return buffer.length >= total ? total : 0
  }
  if (/\r\ntransfer-encoding:[^\r]*chunked/i.test(head)) {
    const end = buffer.indexOf(LAST_CHUNK, headEnd + 4)
    return end < 0 ? 0 : end + LAST_CHUNK.length
  }
  return headEnd + 4
}

/* The body of a complete response with a content-length (`length` from completeResponse). */
export function responseBody(buffer: Buffer, length: number) {
  return buffer.toString('utf8', buffer.indexOf(HEAD_END) + 4, length)
}
