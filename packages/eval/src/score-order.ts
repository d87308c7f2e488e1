/**
 * Orders that the evaluators need, built in linear time. A comparator sort of a million detections
 * costs most of a second in V8; a stable LSD radix sort on the score's bit pattern and counting
 * sorts by image or class cost a few tens of milliseconds and give the same order, ties included.
 * Hand-written because no maintained npm package sorts an index array by float64 keys stably.
 */

/**
 * Indices `order` re-ordered by descending score, stably (equal scores keep their order in `order`).
 * Scores must not be NaN; -0 and +0 are equal.
 */
export function sortByScoreDescending(order: Int32Array, score: Float64Array): Int32Array {
  const n = order.length;
  const hi = new Uint32Array(n);
  const lo = new Uint32Array(n);
  const f = new Float64Array(1);
  const u = new Uint32Array(f.buffer);
  // Little-endian: u[0] = low word, u[1] = high word.
  const little = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  const L = little ? 0 : 1;
  const Hw = little ? 1 : 0;
  for (let k = 0; k < n; k++) {
    f[0] = score[order[k]!]! + 0; // -0 + 0 = +0
    let h = u[Hw]!;
    let l = u[L]!;
    // Ascending unsigned key: flip all bits of negatives, only the sign of positives.
    if (h & 0x80000000) {
      h = ~h >>> 0;
      l = ~l >>> 0;
    } else {
      h = (h | 0x80000000) >>> 0;
    }
    // Descending: complement.
    hi[k] = ~h >>> 0;
    lo[k] = ~l >>> 0;
  }
  let src = Int32Array.from({ length: n }, (_, k) => k); // positions into order/hi/lo
  let dst = new Int32Array(n);
  const count = new Int32Array(65537);
  const digit = (words: Uint32Array, shift: number, p: number) => (words[p]! >>> shift) & 0xffff;
  for (const [words, shift] of [
    [lo, 0],
    [lo, 16],
    [hi, 0],
    [hi, 16],
  ] as const) {
    count.fill(0);
    for (let k = 0; k < n; k++) count[digit(words, shift, src[k]!) + 1]!++;
    if (n > 0 && count[digit(words, shift, src[0]!) + 1] === n) continue; // one bucket: nothing moves
    for (let b = 0; b < 65536; b++) count[b + 1]! += count[b]!;
    for (let k = 0; k < n; k++) {
      const p = src[k]!;
      dst[count[digit(words, shift, p)]!++] = p;
    }
    const t = src;
    src = dst;
    dst = t;
  }
  const out = new Int32Array(n);
  for (let k = 0; k < n; k++) out[k] = order[src[k]!]!;
  return out;
}

/**
 * Stable counting sort of `order` by `key[order[k]]` in 0..buckets-1. Returns the sorted indices
 * and `start` (bucket b occupies `start[b] .. start[b+1]-1`).
 */
export function groupBy(
  order: Int32Array,
  key: Int32Array,
  buckets: number,
): { sorted: Int32Array; start: Int32Array } {
  const start = new Int32Array(buckets + 1);
  for (let k = 0; k < order.length; k++) start[key[order[k]!]! + 1]!++;
  for (let b = 0; b < buckets; b++) start[b + 1]! += start[b]!;
  const fill = start.slice(0, buckets);
  const sorted = new Int32Array(order.length);
  for (let k = 0; k < order.length; k++) {
    const d = order[k]!;
    sorted[fill[key[d]!]!++] = d;
  }
  return { sorted, start };
}
