/*
| Statements whose SQL text depends on how many values they carry (multi-row INSERTs, IN lists)
| are kept to a few shapes: SQLite's prepared statements are cached by their text (see
| config/database.ts), and a text per count would crowd out the statements the cache is for.
*/

/** Splits `total` rows into chunks of `max`, then powers of two: 700, 256 → 256, 256, 128, 32, 16, 8, 4. */
export function chunkSizes(total: number, max: number) {
  const sizes: number[] = []
  let left = total
  while (left >= max) {
    sizes.push(max)
    left -= max
  }
  for (let size = 1 << Math.floor(Math.log2(Math.max(left, 1))); left > 0; size >>= 1) {
    if (left >= size) {
      sizes.push(size)
      left -= size
    }
  }
  return sizes
}

/*
| `(?, ?, …)` for an IN list, padded to the next power of two (at least 8) by repeating the first
| value, which changes nothing in the answer.
*/
export function paddedIn<T>(values: T[]) {
  let size = 8
  while (size < values.length) size *= 2
  const padded = values.concat(Array.from({ length: size - values.length }, () => values[0]))
  return { sql: `(${padded.map(() => '?').join(', ')})`, values: padded }
}
