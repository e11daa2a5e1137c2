/* One progress line on stderr, rewritten in place: `████░░░░ 40%  4 / 10 files`. */
export function progressBar(done: number, total: number, unit: string) {
  const share = total ? Math.min(1, done / total) : 1
  const bar = '█'.repeat(Math.round(share * 30)).padEnd(30, '░')
  process.stderr.write(
    `\r${bar} ${Math.round(share * 100)}%  ${done.toLocaleString()} / ${total.toLocaleString()} ${unit}`
  )
  if (done >= total) process.stderr.write('\n')
}
