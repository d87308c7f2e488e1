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
 * deterministic. O(n log n); n is at most a few thousand triplets per image.
 */
export function topK(scores: ArrayLike<number>, k: number): number[] {
  const order = Array.from({ length: scores.length }, (_, i) => i);
  order.sort((a, b) => scores[b]! - scores[a]! || a - b);
  return order.slice(0, Math.max(0, k));
}
