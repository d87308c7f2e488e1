/**
 * L2-regularised logistic regression on standardised dense features plus a one-hot object class,
 * fitted by Newton's method (IRLS) with a fixed number of steps and deterministic step halving.
 * Hand-written because no maintained JS library fits a regularised logistic model by Newton steps
 * (tfjs offers only stochastic optimisers, which are not reproducible to the digit); the one-hot block
 * is kept sparse so a full V-COCO fit takes seconds.
 */

/** Settings of one fit. */
export interface LogisticFitOptions {
  /** L2 penalty on every weight but the intercept (loss = sum of log-losses + lambda/2 |w|^2). */
  l2: number;
  /** Newton steps (fixed: no tolerance-based stopping, so the result is reproducible). */
  iterations: number;
}

/** A fitted head: logit = intercept + spatial . z + object[objectIndex], z the standardised features. */
export interface LogisticHead {
  intercept: number;
  spatial: number[];
  object: number[];
}

/** Solves A x = b for symmetric positive definite A (n x n row-major) by Cholesky; A is overwritten. */
function choleskySolve(A: Float64Array, b: Float64Array, n: number): Float64Array {
  for (let j = 0; j < n; j++) {
    let s = A[j * n + j]!;
    for (let k = 0; k < j; k++) s -= A[j * n + k]! * A[j * n + k]!;
    const d = Math.sqrt(Math.max(s, 1e-12));
    A[j * n + j] = d;
    for (let i = j + 1; i < n; i++) {
      let t = A[i * n + j]!;
      for (let k = 0; k < j; k++) t -= A[i * n + k]! * A[j * n + k]!;
      A[i * n + j] = t / d;
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let t = b[i]!;
    for (let k = 0; k < i; k++) t -= A[i * n + k]! * y[k]!;
    y[i] = t / A[i * n + i]!;
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let t = y[i]!;
    for (let k = i + 1; k < n; k++) t -= A[k * n + i]! * x[k]!;
    x[i] = t / A[i * n + i]!;
  }
  return x;
}

function log1pExp(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/**
 * Fits one head.
 * @param z N x D standardised features (row-major)
 * @param obj object class index per sample, in [0, numObjects)
 * @param y 0/1 label per sample
 */
export function fitLogisticHead(
  z: Float64Array,
  D: number,
  obj: Int32Array,
  numObjects: number,
  y: ArrayLike<number>,
  options: LogisticFitOptions,
): LogisticHead {
  const N = obj.length;
  const P = 1 + D + numObjects; // [intercept, spatial..., object...]
  const theta = new Float64Array(P);
  const logits = new Float64Array(N);
  const computeLogits = (t: Float64Array) => {
    for (let i = 0; i < N; i++) {
      let s = t[0]! + t[1 + D + obj[i]!]!;
      const row = i * D;
      for (let d = 0; d < D; d++) s += t[1 + d]! * z[row + d]!;
      logits[i] = s;
    }
  };
  const loss = (t: Float64Array) => {
    computeLogits(t);
    let l = 0;
    for (let i = 0; i < N; i++) l += log1pExp(logits[i]!) - y[i]! * logits[i]!;
    let r = 0;
    for (let p = 1; p < P; p++) r += t[p]! * t[p]!;
    return l + 0.5 * options.l2 * r;
  };
  let current = loss(theta);
  for (let it = 0; it < options.iterations; it++) {
    // logits are those of theta here.
    const g = new Float64Array(P);
    const H = new Float64Array(P * P);
    for (let i = 0; i < N; i++) {
      const p = 1 / (1 + Math.exp(-logits[i]!));
      const r = p - y[i]!;
      const w = p * (1 - p);
      const row = i * D;
      const oi = 1 + D + obj[i]!;
      g[0] += r;
      g[oi] += r;
      H[0] += w;
      H[oi * P + oi] += w;
      H[0 * P + oi] += w;
      for (let a = 0; a < D; a++) {
        const za = z[row + a]!;
        g[1 + a] += r * za;
        const wza = w * za;
        H[0 * P + 1 + a] += wza;
        H[(1 + a) * P + oi] += wza;
        const base = (1 + a) * P + 1;
        for (let b = a; b < D; b++) H[base + b] += wza * z[row + b]!;
      }
    }
    for (let p = 1; p < P; p++) {
      g[p] += options.l2 * theta[p]!;
      H[p * P + p] += options.l2;
    }
    // Mirror the upper triangle (filled above) into the lower one.
    for (let a = 0; a < P; a++) for (let b = a + 1; b < P; b++) H[b * P + a] = H[a * P + b]!;
    const step = choleskySolve(H, g, P);
    let scale = 1;
    let next = new Float64Array(P);
    let nextLoss = Number.POSITIVE_INFINITY;
    for (let halvings = 0; halvings < 20; halvings++) {
      for (let p = 0; p < P; p++) next[p] = theta[p]! - scale * step[p]!;
      nextLoss = loss(next);
      if (nextLoss <= current) break;
      scale /= 2;
    }
    if (!(nextLoss <= current)) {
      computeLogits(theta);
      break;
    }
    theta.set(next);
    current = nextLoss;
    next = new Float64Array(P);
  }
  return {
    intercept: theta[0]!,
    spatial: Array.from(theta.subarray(1, 1 + D)),
    object: Array.from(theta.subarray(1 + D)),
  };
}
