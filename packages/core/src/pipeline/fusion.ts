/** The factors of one (human, object, verb) triplet's final score. */
export interface ScoreFactors {
  /** Recognizer score of the verb for the pair, in [0, 1]. */
  action: number;
  /** Detection score of the object instance. */
  object: number;
  /** Detection score of the human instance. */
  human: number;
  /** Probability the pair interacts at all; 1 when no source gives one. */
  interactiveness: number;
}

/**
 * The method's score fusion: s_action * s_object * s_human * s_interactiveness, each factor raised to
 * `exponent` (the reference code uses 1.3; one shared exponent leaves every ranking, and so every AP,
 * unchanged, so the default is 1).
 */
export function fuseScores(f: ScoreFactors, exponent = 1): number {
  const p = f.action * f.object * f.human * f.interactiveness;
  return exponent === 1 ? p : p ** exponent;
}

/**
 * Indices of the `k` largest scores, descending; equal scores keep input order, so the result is
 * deterministic. The k-th largest value is found with a native numeric sort of a typed copy, then only
 * the (at most k) winners are sorted with the tie-breaking comparator, which is several times faster
 * than comparator-sorting all n indices when k is much smaller than n (6,300 triplets, k = 100).
 * NaN scores rank last.
 */
export function topK(scores: ArrayLike<number>, k: number): number[] {
  const n = scores.length;
  const keep = Math.min(Math.max(0, Math.floor(k)), n);
  if (keep === 0) return [];
  const key = (i: number) => {
    const v = scores[i]!;
    return Number.isNaN(v) ? Number.NEGATIVE_INFINITY : v;
  };
  const sorted = new Float64Array(n);
  for (let i = 0; i < n; i++) sorted[i] = key(i);
  sorted.sort();
  const threshold = sorted[n - keep]!;
  // Everything above the threshold wins; ties at the threshold are taken in input order until k.
  let above = 0;
  for (let i = n - keep; i < n; i++) if (sorted[i]! > threshold) above++;
  let tiesLeft = keep - above;
  const winners: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = key(i);
    if (v > threshold) winners.push(i);
    else if (v === threshold && tiesLeft > 0) {
      winners.push(i);
      tiesLeft--;
    }
  }
  return winners.sort((a, b) => key(b) - key(a) || a - b);
}
