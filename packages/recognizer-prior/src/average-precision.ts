/**
 * All-point (VOC 2010+) average precision of a ranked list: the area under the precision-recall curve
 * after making precision monotone (each recall level takes the best precision at that or higher recall).
 * Pairs with equal scores are ranked as one block (the curve gets one point after the whole block), so
 * the result does not depend on input order; constant scores therefore give AP = the positive rate.
 * Returns 0 when there are no positives. Self-contained on purpose: the package's evaluation script must
 * not depend on @hoi/eval (another package, written in parallel).
 *
 * @param scores one score per item
 * @param labels 1 for a positive item, 0 otherwise
 */
export function averagePrecision(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length;
  let totalPositives = 0;
  for (let i = 0; i < n; i++) totalPositives += labels[i] ? 1 : 0;
  if (totalPositives === 0) return 0;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
  const recall: number[] = [0];
  const precision: number[] = [1];
  let tp = 0;
  let seen = 0;
  for (let k = 0; k < n; ) {
    const s = scores[order[k]!]!;
    while (k < n && scores[order[k]!]! === s) {
      tp += labels[order[k]!] ? 1 : 0;
      seen++;
      k++;
    }
    recall.push(tp / totalPositives);
    precision.push(tp / seen);
  }
  // Monotone envelope, then the area as a sum over recall steps.
  for (let i = precision.length - 2; i >= 0; i--) precision[i] = Math.max(precision[i]!, precision[i + 1]!);
  let ap = 0;
  for (let i = 1; i < recall.length; i++) ap += (recall[i]! - recall[i - 1]!) * precision[i]!;
  return ap;
}
