/**
 * Small dense helpers for the recognizers' score heads. Kept local because they run on row-major
 * Float32Array matrices produced here, and @hoi/core's matching module has no raw cosine product, softmax or log-sum-exp.
 */

/** a (n x k) times b^T (m x k) -> n x m, accumulating in float64. */
export function matmulTransposed(a: Float32Array, b: Float32Array, k: number): Float32Array {
  const n = a.length / k;
  const m = b.length / k;
  const out = new Float32Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let c = 0; c < k; c++) s += a[i * k + c]! * b[j * k + c]!;
      out[i * m + j] = s;
    }
  }
  return out;
}

/** Softmax of a list (max-shifted). Empty in, empty out. */
export function softmax(xs: readonly number[]): number[] {
  if (xs.length === 0) return [];
  const mx = Math.max(...xs);
  const e = xs.map((x) => Math.exp(x - mx));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}

/** log(sum(exp(xs[from..to)))) over a slice, max-shifted. */
export function logSumExp(xs: ArrayLike<number>, from: number, to: number): number {
  let mx = -Infinity;
  for (let i = from; i < to; i++) if (xs[i]! > mx) mx = xs[i]!;
  let s = 0;
  for (let i = from; i < to; i++) s += Math.exp(xs[i]! - mx);
  return mx + Math.log(s);
}
